package io.svirtctl.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The result of one in-process run of the command line, for tests. */
public record CliRun(int exitCode, String out, String err) {

  /** Runs svirtctl in-process with an empty environment and the given standard input. */
  public static CliRun run(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            out,
            err,
            env);
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs svirtctl in-process with an empty environment and no input. */
  public static CliRun run(String... args) {
    return run(Map.of(), "", args);
  }
}
