package io.svirtctl.cli;

import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.SourceLocation;
import io.svirtctl.state.HostState;
import io.svirtctl.state.StateLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The desired-state options shared by plan, apply and validate: {@code -f} and {@code --host}. */
final class StateFileOptions {

  /** Larger state files are refused before parsing (hostile input must not exhaust memory). */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "STATE.yaml",
      description = "Desired state file; - reads standard input.")
  String file;

  @Option(
      names = "--host",
      paramLabel = "H",
      description = "Host to plan for in a Fleet file (default: this machine's hostname).")
  String host;

  /** The name of the state file as diagnostics show it. */
  String displayName() {
    return "-".equals(file) ? "<stdin>" : file;
  }

  /** Reads, parses and validates the state for this host. */
  HostState load(CliContext context) {
    byte[] bytes = read(context);
    return StateLoader.load(displayName(), bytes, Optional.ofNullable(host), LocalHostname.read());
  }

  private byte[] read(CliContext context) {
    try {
      if ("-".equals(file)) {
        return capped(context.in());
      }
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        return capped(in);
      }
    } catch (NoSuchFileException e) {
      throw new OperationFailedException(file + ": no such file");
    } catch (IOException e) {
      throw new OperationFailedException(displayName() + ": cannot read: " + e.getMessage(), e);
    }
  }

  private byte[] capped(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new InvalidInputException(
          SourceLocation.ofFile(displayName()),
          "state file is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
    }
    return bytes;
  }
}
