package io.svirtctl.cli;

import io.svirtctl.host.HostLayout;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.Exporter;
import io.svirtctl.render.StateYaml;
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

  @Option(names = "--host", paramLabel = "H", description = "Host name to record (default: this machine's).")
  private String host;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = hostOptions.layout(context.env());
    String name = host != null ? host : StateInput.hostname();
    context.out().print(StateYaml.write(Exporter.export(SnapshotReader.read(layout), name)));
    context.out().flush();
    return ExitCodes.OK;
  }
}
