package io.svirtctl.cli;

import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunStatus;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.Doctor;
import io.svirtctl.plan.HostStatus;
import io.svirtctl.plan.LastRun;
import io.svirtctl.plan.StatusModel;
import io.svirtctl.render.DoctorReport;
import io.svirtctl.render.StatusFormat;
import io.svirtctl.render.StatusReport;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl status}: every guest's mode in its file and in the kernel, then the host. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show every guest's profile mode in its file and in the kernel, then the host's settings.",
      "One line per guest: name, UUID, defined/running/transient/profile-only, profile mode in"
          + " the file and loaded in the kernel, managed rules and, with -f, whether it matches the"
          + " declared state. Then the host's driver, confinement settings, template, site rules,"
          + " hook and last run. -o prometheus prints node_exporter textfile metrics. Reads only;"
          + " exits 0."
    })
final class StatusCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private HostOptions hostOptions;

  @ArgGroup(exclusive = false, heading = "Declared state (optional):%n")
  private StateFileOptions state;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private StatusFormat format;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = hostOptions.layout(context.env());
    HostSnapshot snap = SnapshotReader.read(layout);
    KernelStatus kernel = KernelStatus.read(layout);
    Optional<LastRun> lastRun =
        Journal.list(layout).stream()
            .findFirst()
            .map(r -> new LastRun(r.id(), r.time(), r.command(), r.status() == RunStatus.COMPLETE));
    HostStatus status =
        StatusModel.build(
            snap,
            kernel,
            Optional.ofNullable(state).map(s -> s.load(context)),
            StateInput.hostname(),
            DoctorReport.confined(Doctor.examine(snap, kernel)),
            lastRun);
    StatusReport.render(status, format, context.out());
    return ExitCodes.OK;
  }
}
