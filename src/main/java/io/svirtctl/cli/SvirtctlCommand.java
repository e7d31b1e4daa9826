package io.svirtctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root {@code svirtctl} command: global options, the exit-code list, the subcommands. */
@Command(
    name = "svirtctl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Keeps libvirt's QEMU sVirt confinement (qemu.conf security keys, the AppArmor template,",
      "per-guest profiles and their rules) exactly as a declarative YAML file says."
    },
    subcommands = {
      PlanCommand.class,
      ApplyCommand.class,
      ExportCommand.class,
      DoctorCommand.class,
      HistoryCommand.class,
      RollbackCommand.class,
      ValidateCommand.class,
      SchemaCommand.class,
      ProfileModeCommand.class,
      HookCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      " 0:success, or nothing to change",
      " 1:the run failed (nothing half-applied)",
      " 2:changes present (plan) or made (apply), only with --detailed-exitcode",
      "64:usage error",
      "65:invalid input (state file, or a host file that cannot be parsed)"
    })
public final class SvirtctlCommand implements Runnable {

  private final CliContext context;

  @Spec private CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  private boolean debug;

  SvirtctlCommand(CliContext context) {
    this.context = context;
  }

  CliContext context() {
    return context;
  }

  boolean debug() {
    return debug;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }
}
