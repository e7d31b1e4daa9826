package io.svirtctl.cli;

import io.svirtctl.state.GuestsSpec;
import io.svirtctl.state.HostState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl validate}: checks a state file without looking at any host. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a state file (YAML) for one host; prints a summary, or every problem.")
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;

  @Mixin private StateFileOptions state;

  @Override
  public Integer call() {
    HostState desired = state.load(root.context());
    GuestsSpec guests = desired.apparmor().guests();
    root.context().out().printf(
        "ok: %s is valid for host %s: %d qemu.conf key(s), template %s, %d guest(s) listed%n",
        state.displayName(), desired.host(), desired.qemuConf().size(),
        desired.apparmor().template().isPresent() ? "managed" : "not managed",
        guests.list().size());
    desired.warnings().forEach(w -> root.context().out().println("warning: " + w));
    return ExitCodes.OK;
  }
}
