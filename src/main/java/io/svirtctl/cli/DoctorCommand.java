package io.svirtctl.cli;

import io.svirtctl.host.HostLayout;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.Doctor;
import io.svirtctl.plan.Finding;
import io.svirtctl.render.DoctorReport;
import io.svirtctl.render.OutputFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl doctor}: is sVirt confinement actually in force here, and why not. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check whether sVirt AppArmor confinement is really in force, with a fix for each problem.",
      "Exits 0 when it is, 1 when a finding is an error."
    })
final class DoctorCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private HostOptions hostOptions;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private OutputFormat format;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = hostOptions.layout(context.env());
    List<Finding> findings =
        Doctor.examine(SnapshotReader.read(layout), KernelStatus.read(layout));
    DoctorReport.render(findings, format, context.out());
    return DoctorReport.confined(findings) ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
