package io.svirtctl.cli;

import io.svirtctl.Diagnostic;
import io.svirtctl.apply.ProfileChecker;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.Doctor;
import io.svirtctl.plan.Finding;
import io.svirtctl.render.DoctorReport;
import io.svirtctl.render.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
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
      "Looks at the kernel, qemu.conf (syntax and values libvirt refuses), templates, every profile compiled",
      "by apparmor_parser, each guest's <seclabel>, profile and mode; with -f, modes and rules",
      "against the declared state. A file that cannot be read is a finding; the diagnosis goes on.",
      "Exits 0 when confinement is in force, 1 when a finding is an error."
    })
final class DoctorCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private HostOptions hostOptions;

  @ArgGroup(exclusive = false, heading = "Declared state (optional):%n")
  private StateFileOptions state;

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
    List<Diagnostic> unreadable = new ArrayList<>();
    HostSnapshot snap = SnapshotReader.readAll(layout, unreadable);
    List<Finding> findings =
        Doctor.examine(
            snap,
            KernelStatus.read(layout),
            unreadable,
            Optional.of(new ProfileChecker(layout, HostOptions.parser(layout)).compileAll(snap)),
            Optional.ofNullable(state).map(s -> s.load(context, layout)));
    DoctorReport.render(findings, format, context.out());
    return DoctorReport.confined(findings) ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
