package io.svirtctl.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the outside world hands a run: its streams and environment, and when it started. Commands
 * print only here, so tests run the whole command line in-process.
 *
 * @param started when the run began: the process's start when svirtctl runs as a program (the
 *     libvirt hook's time budget counts from it)
 */
record CliContext(
    InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env, Instant started) {

  CliContext {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    env = Map.copyOf(env);
    Objects.requireNonNull(started, "started");
  }

  /** A run that starts now. */
  CliContext(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env) {
    this(in, out, err, env, Instant.now());
  }
}
