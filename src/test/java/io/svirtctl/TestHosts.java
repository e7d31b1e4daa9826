package io.svirtctl;

import io.svirtctl.host.HostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Host trees for tests: copies of the demo host in the repository, and layouts for them. */
public final class TestHosts {

  private TestHosts() {}

  /** The demo host shipped in {@code playbook-examples/demo/root}. */
  public static Path demoSource() {
    Path base = Path.of(System.getProperty("svirtctl.basedir", "."));
    return base.resolve("playbook-examples/demo/root").toAbsolutePath().normalize();
  }

  /** Copies the demo host to {@code dir/root} and returns that root. */
  public static Path copyDemo(Path dir) {
    Path target = dir.resolve("root");
    copyTree(demoSource(), target);
    return target;
  }

  /** Copies a directory tree (regular files and directories). */
  public static void copyTree(Path source, Path target) {
    try (Stream<Path> walk = Files.walk(source)) {
      List<Path> all = walk.sorted().toList();
      for (Path p : all) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The default layout (as the CLI builds it) for a root, with a short lock timeout. */
  public static HostLayout layout(Path root) {
    return layout(root, Duration.ofSeconds(1));
  }

  public static HostLayout layout(Path root, Duration lockTimeout) {
    return new HostLayout(
        root,
        Path.of("/etc/libvirt/qemu.conf"),
        Path.of("/etc/apparmor.d"),
        Path.of("/etc/libvirt"),
        Path.of("/var/lib/svirtctl"),
        Path.of("/sbin/apparmor_parser"),
        lockTimeout,
        Duration.ofSeconds(60));
  }
}
