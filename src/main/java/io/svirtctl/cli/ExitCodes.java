package io.svirtctl.cli;

/** The exit codes of DESIGN.md section 3, in one place. */
final class ExitCodes {

  /** Success, or in sync. */
  static final int OK = 0;
  /** The run failed; nothing was half-applied. */
  static final int FAILED = 1;
  /** Changes present (plan) or made (apply); only with {@code --detailed-exitcode}. */
  static final int CHANGES = 2;
  /** The command line was wrong. */
  static final int USAGE = 64;
  /** Invalid input: a state file, or a host file that cannot be parsed. */
  static final int INVALID_INPUT = 65;

  private ExitCodes() {}
}
