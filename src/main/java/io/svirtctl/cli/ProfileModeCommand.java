package io.svirtctl.cli;

import io.svirtctl.apparmor.Mode;
import io.svirtctl.apply.ModeSwitch;
import io.svirtctl.host.HostLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl profile-mode}: an idempotent, all-or-nothing batch aa-complain/aa-enforce. */
@Command(
    name = "profile-mode",
    mixinStandardHelpOptions = true,
    description = {
      "Sets every profile, hat and child profile in each FILE to complain or enforce mode, as",
      "aa-complain/aa-enforce do, changing only the header flag lists. All files are parsed",
      "before the first write; a file already in that mode is not written. Prints one line per",
      "changed file. Absolute FILE paths are taken inside --root."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      " 0:success, nothing to change (or changes made without --detailed-exitcode)",
      " 1:a write or reload failed",
      " 2:files changed (or would, with --check), only with --detailed-exitcode",
      "64:usage error",
      "65:a FILE is missing or is not a profile the tool can read; nothing was written"
    })
final class ProfileModeCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;

  @Mixin private HostOptions host = new HostOptions();

  @Parameters(index = "0", paramLabel = "complain|enforce", description = "The mode to set.")
  private Mode mode;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Profile files.")
  private List<Path> files;

  @Option(names = "--check", description = "Change nothing; list the files that would change.")
  private boolean check;

  @Option(names = "--no-reload", description = "Do not reload changed profiles into the kernel.")
  private boolean noReload;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when files changed (or would).")
  private boolean detailedExitcode;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = host.layout(context.env());
    List<String> changed =
        new ModeSwitch(layout, HostOptions.parser(layout))
            .run(mode, files, check, !noReload && host.reloadAllowed(context.env()));
    for (String file : changed) {
      context.out().println(mode.label() + ": " + file);
    }
    return detailedExitcode && !changed.isEmpty() ? ExitCodes.CHANGES : ExitCodes.OK;
  }
}
