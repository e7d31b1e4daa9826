package io.svirtctl.cli;

import io.svirtctl.host.HostLayout;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.Exporter;
import io.svirtctl.render.ExportFormat;
import io.svirtctl.render.ExportReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl export}: the host as it is, as a Host state file. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Print the host's current confinement as a Host state file; applying it changes nothing.")
final class ExportCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private HostOptions hostOptions;

  @Option(names = "--host", paramLabel = "H",
      description = "Host name to record in the output (default: this machine's).")
  private String host;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "yaml",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private ExportFormat format;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = hostOptions.layout(context.env());
    String name = host != null ? host : StateInput.hostname();
    ExportReport.print(Exporter.export(SnapshotReader.read(layout), name), format, context.out());
    return ExitCodes.OK;
  }
}
