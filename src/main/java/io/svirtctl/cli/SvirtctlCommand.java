package io.svirtctl.cli;

import java.util.List;
import java.util.Map;
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
    description =
        "Keeps libvirt's QEMU sVirt confinement (qemu.conf security keys, the AppArmor template,"
            + " per-guest profiles and their rules) exactly as a declarative YAML file says.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      " 0:success, or nothing to change",
      " 1:the run failed (nothing half-applied), or resources depending on a broken host file were left out (the rest applied)",
      " 2:changes present (plan) or made (apply), only with --detailed-exitcode",
      "64:usage error",
      "65:invalid input (state file, or a host file that cannot be parsed)"
    })
public final class SvirtctlCommand implements Runnable {

  /**
   * Every subcommand by name, in the order help lists them. Registered by {@link Main} rather
   * than in the annotation so that a run builds only the command it executes: picocli reflects
   * over each registered command at start-up, which cost a run more than all its work on a small
   * host (docs/performance.md). A test checks each name against the class's {@code @Command}.
   */
  static final List<Map.Entry<String, Class<?>>> SUBCOMMANDS =
      List.of(
          Map.entry("plan", PlanCommand.class),
          Map.entry("apply", ApplyCommand.class),
          Map.entry("export", ExportCommand.class),
          Map.entry("doctor", DoctorCommand.class),
          Map.entry("status", StatusCommand.class),
          Map.entry("history", HistoryCommand.class),
          Map.entry("rollback", RollbackCommand.class),
          Map.entry("validate", ValidateCommand.class),
          Map.entry("schema", SchemaCommand.class),
          Map.entry("profile-mode", ProfileModeCommand.class),
          Map.entry("learn", LearnCommand.class),
          Map.entry("hook", HookCommand.class));

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
