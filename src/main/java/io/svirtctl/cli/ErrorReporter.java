package io.svirtctl.cli;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where errors become exit codes and {@code svirtctl: ...} lines. Stack traces
 * are printed only with {@code --debug}.
 */
final class ErrorReporter
    implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

  private static final String PREFIX = "svirtctl: ";

  private final PrintWriter err;
  private final BooleanSupplier debug;

  ErrorReporter(PrintWriter err, BooleanSupplier debug) {
    this.err = err;
    this.debug = debug;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    report(ex);
    return getExitCode(ex);
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    err.println(PREFIX + oneLine(ex.getMessage()));
    CommandLine cmd = ex.getCommandLine();
    err.println(PREFIX + "try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return ExitCodes.USAGE;
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

  private void report(Throwable ex) {
    if (ex instanceof InvalidInputException invalid) {
      for (Diagnostic d : invalid.diagnostics()) {
        err.println(PREFIX + oneLine(d.toString()));
      }
    } else if (ex instanceof OperationFailedException) {
      err.println(PREFIX + oneLine(ex.getMessage()));
    } else if (ex instanceof UncheckedIOException io) {
      err.println(PREFIX + oneLine(String.valueOf(io.getCause().getMessage())));
    } else {
      err.println(PREFIX + "internal error: " + oneLine(String.valueOf(ex)));
    }
    if (debug.getAsBoolean()) {
      ex.printStackTrace(err);
    }
    err.flush();
  }

  /** Keeps one diagnostic on one line, whatever the message holds. */
  static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " | ");
  }
}
