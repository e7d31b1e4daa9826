package io.svirtctl.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;

/**
 * What the outside world hands a run: its streams and environment. Commands print only here,
 * so tests run the whole command line in-process.
 */
record CliContext(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env) {

  CliContext {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    env = Map.copyOf(env);
  }
}
