package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The private copy of a host's AppArmor tree that the whole-effect check compiles in. */
class ScratchTreeTest {

  private static final Path APPARMOR = Path.of("/etc/apparmor.d");

  @TempDir Path root;
  @TempDir Path outside;

  private Path host(String relative, String text) throws IOException {
    Path file = root.resolve("etc/apparmor.d").resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void copiesRegularFilesOutsideTheRootAndSkipsGuestsFifosAndLinksOut() throws Exception {
    host("abstractions/libvirt-qemu", "#include <abstractions/base>\n");
    host("libvirt/TEMPLATE.qemu", "profile LIBVIRT_TEMPLATE {\n}\n");
    host("libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab", "profile x {\n}\n");
    Files.writeString(outside.resolve("secret"), "not apparmor's\n");
    Files.createSymbolicLink(root.resolve("etc/apparmor.d/abstractions/out"), outside.resolve("secret"));
    Path fifo = root.resolve("etc/apparmor.d/abstractions/fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    Path copy;
    try (ScratchTree tree = ScratchTree.of(TestHosts.layout(root))) {
      copy = tree.directory();
      assertThat(copy.startsWith(root)).as("outside the root").isFalse();
      assertThat(Files.getPosixFilePermissions(copy.getParent()))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
      assertThat(copy.resolve("abstractions/libvirt-qemu")).hasContent("#include <abstractions/base>");
      assertThat(copy.resolve("libvirt/TEMPLATE.qemu")).exists();
      assertThat(copy.resolve("libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab")).doesNotExist();
      assertThat(copy.resolve("abstractions/out")).doesNotExist();
      assertThat(copy.resolve("abstractions/fifo")).doesNotExist();
    }
    assertThat(copy.getParent()).doesNotExist();
  }

  @Test
  void plannedFilesReplaceTheHostsAndIncludesAreFollowedThroughDirectories() throws Exception {
    host("abstractions/libvirt-qemu", "  include if exists <local/abstractions/libvirt-qemu>\n"
        + "  include if exists <abstractions/libvirt-qemu.d>\n");
    host("abstractions/libvirt-qemu.d/site", "  /srv/a r,\n");
    host("local/abstractions/libvirt-qemu", "  /srv/old r,\n");
    try (ScratchTree tree = ScratchTree.of(TestHosts.layout(root))) {
      Path local = APPARMOR.resolve("local/abstractions/libvirt-qemu");
      tree.put(local, "  /srv/new r,\n");
      assertThat(tree.real(local)).hasContent("  /srv/new r,");
      Path guest = APPARMOR.resolve("libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab");
      tree.put(guest, "profile g {\n  #include <abstractions/libvirt-qemu>\n}\n");
      assertThat(tree.includes(guest)).containsExactlyInAnyOrder(
          APPARMOR.resolve("abstractions/libvirt-qemu"),
          local,
          APPARMOR.resolve("abstractions/libvirt-qemu.d/site"));
      tree.remove(local);
      assertThat(tree.includes(guest)).doesNotContain(local);
      assertThat(tree.shown(tree.real(guest))).isEqualTo(guest);
      assertThat(tree.unscratch("error in " + tree.real(local))).isEqualTo("error in " + local);
    }
    assertThat(root.resolve("etc/apparmor.d/local/abstractions/libvirt-qemu")).hasContent("  /srv/old r,");
  }
}
