package io.svirtctl.cli;

import io.svirtctl.render.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o text|json} for commands that report without planning (history, rollback, ...). */
final class FormatOption {

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format;
}
