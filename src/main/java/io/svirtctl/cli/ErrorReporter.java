package io.svirtctl.cli;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.render.FailureReport;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where errors become exit codes and {@code svirtctl: ...} lines. Stack traces
 * are printed only with {@code --debug}. A run asked for {@code -o json} also prints the error as
 * one JSON object on standard output ({@link FailureReport}).
 */
final class ErrorReporter
    implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

  private static final String PREFIX = "svirtctl: ";

  private final PrintWriter out;
  private final PrintWriter err;
  private final BooleanSupplier debug;

  ErrorReporter(PrintWriter out, PrintWriter err, BooleanSupplier debug) {
    this.out = out;
    this.err = err;
    this.debug = debug;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    if (ex instanceof ParameterException usage) {
      // A usage problem found once options are known (e.g. a --root that is not a directory).
      return handleParseException(usage, parseResult.originalArgs().toArray(String[]::new));
    }
    List<String> lines = report(ex);
    int rc = getExitCode(ex);
    if (asksForJson(cmd)) {
      FailureReport.print(host(cmd), rc, lines, out);
    }
    return rc;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    String line = oneLine(ex.getMessage());
    err.println(PREFIX + line);
    CommandLine cmd = ex.getCommandLine();
    err.println(PREFIX + "try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    if (asksForJson(args)) {
      FailureReport.print(Optional.empty(), ExitCodes.USAGE, List.of(line), out);
    }
    return ExitCodes.USAGE;
  }

  /** Whether the command that failed was given {@code -o json}. */
  private static boolean asksForJson(CommandLine cmd) {
    OptionSpec output = cmd.getCommandSpec().findOption("-o");
    return output != null && "json".equalsIgnoreCase(String.valueOf((Object) output.getValue()));
  }

  /**
   * Whether a command line that did not parse asked for {@code -o json}: the words are all there
   * is to go by.
   */
  private static boolean asksForJson(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i].toLowerCase(Locale.ROOT);
      boolean next = i + 1 < args.length && "json".equalsIgnoreCase(args[i + 1]);
      if (((a.equals("-o") || a.equals("--output")) && next)
          || a.equals("-ojson") || a.equals("-o=json") || a.equals("--output=json")) {
        return true;
      }
    }
    return false;
  }

  /** The {@code --host} the command line gave, if the command has one. */
  private static Optional<String> host(CommandLine cmd) {
    OptionSpec host = cmd.getCommandSpec().findOption("--host");
    return host == null ? Optional.empty() : Optional.ofNullable(host.getValue());
  }

  @Override
  public int getExitCode(Throwable ex) {
    if (ex instanceof InvalidInputException) {
      return ExitCodes.INVALID_INPUT;
    }
    if (ex instanceof ParameterException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILED;
  }

  /** Prints the error lines of {@code ex} and returns them without the prefix. */
  private List<String> report(Throwable ex) {
    List<String> lines = new ArrayList<>();
    if (ex instanceof InvalidInputException invalid) {
      for (Diagnostic d : invalid.diagnostics()) {
        lines.add(oneLine(d.toString()));
      }
    } else if (ex instanceof OperationFailedException) {
      lines.add(oneLine(ex.getMessage()));
    } else if (ex instanceof UncheckedIOException io) {
      lines.add(oneLine(String.valueOf(io.getCause().getMessage())));
    } else {
      lines.add("internal error: " + oneLine(String.valueOf(ex)));
    }
    lines.forEach(l -> err.println(PREFIX + l));
    if (debug.getAsBoolean()) {
      ex.printStackTrace(err);
    }
    err.flush();
    return lines;
  }

  /** Keeps one diagnostic on one line, whatever the message holds. */
  static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " | ");
  }
}
