package io.svirtctl.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where svirtctl finds things on one host: the root every managed path is relative to, the
 * managed locations (as absolute paths as seen from inside the root), and the tools it runs.
 *
 * <p>{@code apparmorParser} is a path on the machine svirtctl runs on, not under the root: the
 * parser is a tool, not a managed file.
 */
public record HostLayout(
    Path root,
    Path qemuConf,
    Path apparmorDir,
    Path libvirtDir,
    Path stateDir,
    Path apparmorParser,
    Duration lockTimeout,
    Duration parserTimeout) {

  public HostLayout {
    Objects.requireNonNull(root, "root");
    requireAbsolute(qemuConf, "qemuConf");
    requireAbsolute(apparmorDir, "apparmorDir");
    requireAbsolute(libvirtDir, "libvirtDir");
    requireAbsolute(stateDir, "stateDir");
    requireAbsolute(apparmorParser, "apparmorParser");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(parserTimeout, "parserTimeout");
    root = root.toAbsolutePath().normalize();
  }

  /** The same layout with another wait for the run lock (the libvirt hook's remaining budget). */
  public HostLayout withLockTimeout(Duration timeout) {
    return new HostLayout(
        root, qemuConf, apparmorDir, libvirtDir, stateDir, apparmorParser, timeout, parserTimeout);
  }

  /** The real location of a path given as seen from inside the root. */
  public Path resolve(Path inside) {
    requireAbsolute(inside, "path");
    Path relative = Path.of("/").relativize(inside.normalize());
    return root.resolve(relative.toString());
  }

  private static void requireAbsolute(Path p, String what) {
    Objects.requireNonNull(p, what);
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException(what + " must be an absolute path: " + p);
    }
  }
}
