package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunRecord;
import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.FakeParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ownership and modes after apply and rollback: new files are root:root 0644, changed files keep
 * their owner, group and mode, and the journal is private (directories 0700, files 0600).
 */
class PermissionsIT {

  private static final String QEMU_CONF = "etc/libvirt/qemu.conf";
  private static final String GUEST =
      "etc/apparmor.d/libvirt/libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";
  private static final String NEW_GUEST =
      "etc/apparmor.d/libvirt/libvirt-c0ffee00-1234-4cde-8f00-5566778899aa";

  @TempDir Path tmp;

  @Test
  void ownersAndModesAreKeptNewFilesAreRootOnlyWritableAndTheJournalIsPrivate()
      throws IOException {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root: only root can give files to other users and create root:root files");
    Path root = TestHosts.copyDemo(tmp);
    Map<String, String> env = FakeParser.install(tmp.resolve("parser"));
    Path state = TestHosts.demoSource().resolveSibling("state.yaml");
    // Owners no account on this machine has: the numbers alone must survive.
    chown(root.resolve(QEMU_CONF), 4242, 4343, "rw-r-----");
    chown(root.resolve(GUEST), 5252, 5353, "rw-------");
    byte[] qemuBefore = Files.readAllBytes(root.resolve(QEMU_CONF));

    CliRun r = CliRun.run(env, "", "apply", "-f", state.toString(), "--host", "demo-hv01",
        "--root", root.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(root.resolve(QEMU_CONF))).isNotEqualTo(qemuBefore);
    assertOwner(root.resolve(QEMU_CONF), 4242, 4343, "rw-r-----");
    assertOwner(root.resolve(GUEST), 5252, 5353, "rw-------");
    assertOwner(root.resolve(NEW_GUEST), 0, 0, "rw-r--r--");

    Path stateDir = root.resolve("var/lib/svirtctl");
    assertThat(mode(stateDir)).isEqualTo("rwx------");
    assertThat(mode(stateDir.resolve("journal"))).isEqualTo("rwx------");
    List<RunRecord> runs = Journal.list(TestHosts.layout(root));
    assertThat(runs).hasSize(1);
    Path runDir = stateDir.resolve("journal").resolve(runs.get(0).id());
    assertThat(mode(runDir)).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(runDir)) {
      assertThat(files.toList()).isNotEmpty()
          .allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
    }

    CliRun back = CliRun.run(env, "", "rollback", "--root", root.toString(), "--no-reload");
    assertThat(back.exitCode()).as(back.err()).isZero();
    assertThat(Files.readAllBytes(root.resolve(QEMU_CONF))).isEqualTo(qemuBefore);
    assertOwner(root.resolve(QEMU_CONF), 4242, 4343, "rw-r-----");
    assertOwner(root.resolve(GUEST), 5252, 5353, "rw-------");
    assertThat(root.resolve(NEW_GUEST)).doesNotExist();
  }

  private static void chown(Path file, int uid, int gid, String mode) throws IOException {
    Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(file, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  private static void assertOwner(Path file, int uid, int gid, String mode) throws IOException {
    assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(file + " uid")
        .isEqualTo(uid);
    assertThat(Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS)).as(file + " gid")
        .isEqualTo(gid);
    assertThat(mode(file)).as(file + " mode").isEqualTo(mode);
  }

  private static String mode(Path p) {
    try {
      return PosixFilePermissions.toString(
          Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
