package io.svirtctl.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine;

/** Entry point of the {@code svirtctl} command. The only place that calls {@code System.exit}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // The process's own start, so time budgets include the JVM's start-up.
    Instant started = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    int code = run(args, System.in, System.out, System.err, System.getenv(), started);
    System.exit(code);
  }

  /** Runs one command line against the given streams and environment; returns the exit code. */
  public static int run(
      String[] args, InputStream in, OutputStream out, OutputStream err, Map<String, String> env) {
    return run(args, in, out, err, env, Instant.now());
  }

  private static int run(
      String[] args,
      InputStream in,
      OutputStream out,
      OutputStream err,
      Map<String, String> env,
      Instant started) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    try {
      CliContext context = new CliContext(in, o, e, env, started);
      CommandLine cmd = commandLine(context, registered(args));
      return cmd.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** The configured command tree; also used to generate the man page and completion. */
  static CommandLine commandLine(CliContext context) {
    return commandLine(context, sub -> true);
  }

  /**
   * The command tree with the subcommands {@code registered} accepts. A run that names a
   * subcommand parses exactly as with the whole tree when only that one is registered: the root
   * has no option that takes a value, so the first argument not starting with {@code -} is the
   * subcommand.
   */
  static CommandLine commandLine(CliContext context, Predicate<Class<?>> registered) {
    SvirtctlCommand root = new SvirtctlCommand(context);
    ErrorReporter reporter = new ErrorReporter(context.out(), context.err(), root::debug);
    CommandLine cmd = new CommandLine(root);
    // Subcommands first: the settings below reach only the subcommands registered by then.
    for (Map.Entry<String, Class<?>> sub : SvirtctlCommand.SUBCOMMANDS) {
      if (registered.test(sub.getValue())) {
        cmd.addSubcommand(sub.getKey(), sub.getValue());
      }
    }
    cmd.setOut(context.out());
    cmd.setErr(context.err());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    // No command reads '@file' as a file of arguments: the libvirt hook gets untrusted domain names.
    cmd.setExpandAtFiles(false);
    cmd.setExecutionExceptionHandler(reporter);
    cmd.setParameterExceptionHandler(reporter);
    cmd.setExitCodeExceptionMapper(reporter);
    return cmd;
  }

  /**
   * The subcommands a command line needs: the one it names; none for {@code --version} alone,
   * which prints the same line with no subcommand built; else all (help lists them, and an
   * unknown name gets suggestions from them).
   */
  private static Predicate<Class<?>> registered(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return sub -> false;
    }
    Optional<Class<?>> named = invoked(args);
    return sub -> named.isEmpty() || named.get() == sub;
  }

  /** The subcommand a command line names, when it names a known one. */
  private static Optional<Class<?>> invoked(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return Optional.empty();
      }
      if (!arg.startsWith("-")) {
        return SvirtctlCommand.SUBCOMMANDS.stream()
            .filter(e -> e.getKey().equals(arg))
            .<Class<?>>map(Map.Entry::getValue)
            .findFirst();
      }
    }
    return Optional.empty();
  }
}
