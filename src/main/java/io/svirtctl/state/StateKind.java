package io.svirtctl.state;

/** The two kinds of state file: one host, or a fleet of hosts with shared defaults. */
enum StateKind {
  Host,
  Fleet
}
