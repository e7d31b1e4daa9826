package io.svirtctl.cli;

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

  /** Reads, parses and validates the state for this host. */
  HostState load(CliContext context) {
    StateInput input = StateInput.read(file, context.in());
    return StateLoader.load(
        input.name(), input.content(), Optional.ofNullable(host), StateInput.hostname());
  }
}
