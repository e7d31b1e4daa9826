package io.svirtctl.cli;

import io.svirtctl.apparmor.IncludeCheck;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.IncludeTree;
import io.svirtctl.state.HostState;
import io.svirtctl.state.StateLoader;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The desired-state options shared by validate, plan and apply: {@code -f} and {@code --host}. */
final class StateFileOptions {

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "STATE.yaml",
      description = "Desired state file; - reads standard input.")
  String file;

  @Option(
      names = "--host",
      paramLabel = "H",
      description = "Host whose state a Fleet file gives (default: this machine's hostname).")
  String host;

  /** The name of the state file as diagnostics show it. */
  String displayName() {
    return "-".equals(file) ? "<stdin>" : file;
  }

  /** Reads, parses and validates the state for this host, without looking at any host's files. */
  HostState load(CliContext context) {
    return load(context, IncludeCheck.ANY);
  }

  /** Reads, parses and validates the state for the host under {@code layout}'s root. */
  HostState load(CliContext context, HostLayout layout) {
    return load(context, new IncludeTree(layout));
  }

  private HostState load(CliContext context, IncludeCheck includes) {
    StateInput input = StateInput.read(file, context.in());
    return StateLoader.load(
        input.name(), input.content(), Optional.ofNullable(host), StateInput.hostname(), includes);
  }
}
