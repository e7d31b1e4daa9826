package io.svirtctl.cli;

import io.svirtctl.state.GuestsSpec;
import io.svirtctl.state.HostState;
import io.svirtctl.state.StateLoader;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl validate}: checks a state file without looking at any host. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a state file (YAML) for one host; prints a summary, or every problem.")
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "The state file; - reads standard input.")
  private String file;

  @Option(names = "--host", paramLabel = "HOST",
      description = "The host whose state a Fleet file gives (default: this machine's hostname).")
  private String host;

  @Override
  public Integer call() {
    StateInput input = StateInput.read(file, root.context().in());
    HostState state =
        StateLoader.load(input.name(), input.content(), Optional.ofNullable(host), StateInput.hostname());
    GuestsSpec guests = state.apparmor().guests();
    root.context().out().printf(
        "ok: %s is valid for host %s: %d qemu.conf key(s), template %s, %d guest(s) listed%n",
        input.name(), state.host(), state.qemuConf().size(),
        state.apparmor().template().isPresent() ? "managed" : "not managed",
        guests.list().size());
    return ExitCodes.OK;
  }
}
