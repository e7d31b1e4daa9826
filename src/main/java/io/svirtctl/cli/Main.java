package io.svirtctl.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Entry point of the {@code svirtctl} command. The only place that calls {@code System.exit}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.in, System.out, System.err, System.getenv());
    System.exit(code);
  }

  /** Runs one command line against the given streams and environment; returns the exit code. */
  public static int run(
      String[] args, InputStream in, OutputStream out, OutputStream err, Map<String, String> env) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    try {
      CliContext context = new CliContext(in, o, e, env);
      CommandLine cmd = commandLine(context);
      return cmd.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** The configured command tree; also used to generate the man page and completion. */
  static CommandLine commandLine(CliContext context) {
    SvirtctlCommand root = new SvirtctlCommand(context);
    ErrorReporter reporter = new ErrorReporter(context.err(), root::debug);
    CommandLine cmd = new CommandLine(root);
    cmd.setOut(context.out());
    cmd.setErr(context.err());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler(reporter);
    cmd.setParameterExceptionHandler(reporter);
    cmd.setExitCodeExceptionMapper(reporter);
    return cmd;
  }
}
