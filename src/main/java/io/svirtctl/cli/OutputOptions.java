package io.svirtctl.cli;

import io.svirtctl.render.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o text|json} and {@code --detailed-exitcode}, shared by plan and apply. */
final class OutputOptions {

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(
      names = "--detailed-exitcode",
      description = "Exit 2 when there are changes (plan) or changes were made (apply).")
  boolean detailedExitCode;

  int exitCode(boolean changed) {
    return detailedExitCode && changed ? ExitCodes.CHANGES : ExitCodes.OK;
  }
}
