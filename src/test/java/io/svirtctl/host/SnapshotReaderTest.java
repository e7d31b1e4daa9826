package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.Fixtures;
import io.svirtctl.OperationFailedException;
import io.svirtctl.TestHosts;
import io.svirtctl.Uuid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotReaderTest {

  private static final Uuid WEB01 = new Uuid("5b3a1c1e-8a51-4d7c-9a77-0123456789ab");
  private static final Uuid DB01 = new Uuid("9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb");
  private static final Uuid ORPHAN = new Uuid("0e0e0e0e-dead-4bee-8fee-0e0e0e0e0e0e");
  private static final Uuid BUILD01 = new Uuid("c0ffee00-1234-4cde-8f00-5566778899aa");

  @TempDir Path tmp;
  private Path root;
  private Path libvirtProfiles;

  @BeforeEach
  void setUp() {
    root = TestHosts.copyDemo(tmp);
    libvirtProfiles = root.resolve("etc/apparmor.d/libvirt");
  }

  @Test
  void demoHostSnapshot() throws IOException {
    HostSnapshot s = SnapshotReader.read(TestHosts.layout(root));

    assertThat(s.qemuConf().path()).isEqualTo(Path.of("/etc/libvirt/qemu.conf"));
    assertThat(s.qemuConf().text())
        .contains(Files.readString(root.resolve("etc/libvirt/qemu.conf")));
    assertThat(s.templateQemu().exists()).isTrue();
    assertThat(s.templateQemu().path()).isEqualTo(Path.of("/etc/apparmor.d/libvirt/TEMPLATE.qemu"));
    assertThat(s.templateLegacy().exists()).isFalse();
    assertThat(s.templateLxc().exists()).isTrue();
    assertThat(s.guestProfiles()).containsOnlyKeys(ORPHAN, WEB01, DB01);
    assertThat(s.guestProfiles().get(WEB01).path())
        .isEqualTo(Path.of("/etc/apparmor.d/libvirt/libvirt-" + WEB01));
    assertThat(s.guestProfiles().get(WEB01).text())
        .contains(Files.readString(libvirtProfiles.resolve("libvirt-" + WEB01)));
    assertThat(s.filesLists()).containsExactly(ORPHAN, WEB01, DB01);
    assertThat(s.siteRulesLocal().exists()).isTrue();
    assertThat(s.siteRulesDropInDir()).isFalse();
    assertThat(s.siteRulesDropIn().exists()).isFalse();
    assertThat(s.libvirtdProfile().exists()).isTrue();
    assertThat(s.domains())
        .extracting(DomainDefinition::uuid)
        .containsExactly(WEB01, DB01, BUILD01);
    assertThat(s.domains()).filteredOn(d -> d.name().equals("db01"))
        .extracting(DomainDefinition::uuid).containsExactly(DB01);
    assertThat(s.daemon()).isEqualTo(Daemon.LIBVIRTD);
  }

  @Test
  void filesListsAreNeverReadAsProfiles() throws IOException {
    // Not UTF-8 and a directory: reading either as a profile would fail the snapshot.
    Files.write(libvirtProfiles.resolve("libvirt-" + WEB01 + ".files"), new byte[] {(byte) 0xff});
    Files.delete(libvirtProfiles.resolve("libvirt-" + DB01 + ".files"));
    Files.createDirectory(libvirtProfiles.resolve("libvirt-" + DB01 + ".files"));

    HostSnapshot s = SnapshotReader.read(TestHosts.layout(root));

    assertThat(s.guestProfiles()).containsOnlyKeys(ORPHAN, WEB01, DB01);
    assertThat(s.files())
        .extracting(f -> f.path().getFileName().toString())
        .noneMatch(n -> n.endsWith(".files"));
    assertThat(s.filesLists()).contains(WEB01, DB01);
  }

  @Test
  void otherNamesInTheProfileDirectoryAreIgnored() throws IOException {
    String upper = BUILD01.value().toUpperCase(Locale.ROOT);
    Files.writeString(libvirtProfiles.resolve("libvirt-" + upper), "not libvirt's spelling\n");
    Files.writeString(libvirtProfiles.resolve("libvirt-" + BUILD01 + ".bak"), "backup\n");
    Files.writeString(libvirtProfiles.resolve("libvirt-notauuid"), "other\n");
    Files.writeString(libvirtProfiles.resolve("README"), "hello\n");

    HostSnapshot s = SnapshotReader.read(TestHosts.layout(root));

    assertThat(s.guestProfiles()).containsOnlyKeys(ORPHAN, WEB01, DB01);
  }

  @Test
  void symlinkedGuestProfileIsRefused() throws IOException {
    Path profile = libvirtProfiles.resolve("libvirt-" + BUILD01);
    Files.createSymbolicLink(profile, libvirtProfiles.resolve("libvirt-" + WEB01));
    assertThatThrownBy(() -> SnapshotReader.read(TestHosts.layout(root)))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining(profile.toString())
        .hasMessageContaining("symbolic link");
  }

  @Test
  void symlinkedQemuConfIsRefused() throws IOException {
    Path conf = root.resolve("etc/libvirt/qemu.conf");
    Path moved = Files.move(conf, tmp.resolve("real-qemu.conf"));
    Files.createSymbolicLink(conf, moved);
    assertThatThrownBy(() -> SnapshotReader.read(TestHosts.layout(root)))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage(
            "refusing to read "
                + conf
                + ": it is a symbolic link, and svirtctl manages only regular files");
  }

  @Test
  void directoryInPlaceOfTheTemplateIsRefused() throws IOException {
    Path template = libvirtProfiles.resolve("TEMPLATE.qemu");
    Files.delete(template);
    Files.createDirectory(template);
    assertThatThrownBy(() -> SnapshotReader.read(TestHosts.layout(root)))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage(
            "refusing to read " + template + ": it is a directory, expected a regular file");
  }

  @Test
  void dropInDirectoryAndItsFileAreSeen() throws IOException {
    Path dir = Files.createDirectories(root.resolve("etc/apparmor.d/abstractions/libvirt-qemu.d"));
    Files.writeString(dir.resolve("svirtctl"), "/srv/iso/** r,\n");
    HostSnapshot s = SnapshotReader.read(TestHosts.layout(root));
    assertThat(s.siteRulesDropInDir()).isTrue();
    assertThat(s.siteRulesDropIn().text()).contains("/srv/iso/** r,\n");
  }

  @Test
  void virtqemudSocketOrServiceMeansTheModularDaemon() throws IOException {
    Path sockets = Files.createDirectories(root.resolve("etc/systemd/system/sockets.target.wants"));
    // A real host's wants are absolute links that point outside a test root.
    Path link =
        Files.createSymbolicLink(
            sockets.resolve("virtqemud.socket"), Path.of("/lib/systemd/system/virtqemud.socket"));
    assertThat(SnapshotReader.read(TestHosts.layout(root)).daemon()).isEqualTo(Daemon.VIRTQEMUD);

    Files.delete(link);
    Path services =
        Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
    Files.createSymbolicLink(
        services.resolve("virtqemud.service"), Path.of("/lib/systemd/system/virtqemud.service"));
    HostSnapshot s = SnapshotReader.read(TestHosts.layout(root));
    assertThat(s.daemon()).isEqualTo(Daemon.VIRTQEMUD);
    assertThat(s.daemon().serviceName()).isEqualTo("virtqemud");
  }

  @Test
  void filesAreListedInAStableOrderForFingerprintChecks() {
    HostSnapshot s = SnapshotReader.read(TestHosts.layout(root));
    List<HostFile> files = s.files();
    assertThat(files).hasSize(9 + 3);
    assertThat(files.get(0)).isEqualTo(s.qemuConf());
    assertThat(files.subList(7, 9)).containsExactly(s.qemuHook(), s.hookRecord());
    assertThat(files.subList(9, 12)).containsExactlyElementsOf(s.guestProfiles().values());
    assertThat(SnapshotReader.read(TestHosts.layout(root)).files()).isEqualTo(files);
  }

  @Test
  void aChangedFileChangesOnlyItsFingerprint() throws IOException {
    HostSnapshot before = SnapshotReader.read(TestHosts.layout(root));
    Files.writeString(libvirtProfiles.resolve("libvirt-" + WEB01), "\n", StandardOpenOption.APPEND);
    HostSnapshot after = SnapshotReader.read(TestHosts.layout(root));
    assertThat(after.guestProfiles().get(WEB01).fingerprint())
        .isNotEqualTo(before.guestProfiles().get(WEB01).fingerprint());
    assertThat(after.qemuConf().fingerprint()).isEqualTo(before.qemuConf().fingerprint());
    assertThat(
            new HostReader(TestHosts.layout(root))
                .fingerprint(before.guestProfiles().get(WEB01).path()))
        .isEqualTo(after.guestProfiles().get(WEB01).fingerprint());
  }

  @Test
  void tenThousandGuestProfilesAreAllRead() throws IOException {
    Path many = tmp.resolve("many");
    Path dir = Files.createDirectories(many.resolve("etc/apparmor.d/libvirt"));
    for (int i = 0; i < 10_000; i++) {
      String uuid = String.format("%08x-0000-4000-8000-%012x", i, i);
      Files.writeString(dir.resolve("libvirt-" + uuid), "profile libvirt-" + uuid + " {}\n");
      if (i % 2 == 0) {
        Files.writeString(dir.resolve("libvirt-" + uuid + ".files"), "");
      }
    }
    HostSnapshot s = SnapshotReader.read(TestHosts.layout(many));
    assertThat(s.guestProfiles()).hasSize(10_000);
    assertThat(s.filesLists()).hasSize(5_000);
    Uuid last = new Uuid(String.format("%08x-0000-4000-8000-%012x", 9_999, 9_999));
    assertThat(s.guestProfiles().lastKey()).isEqualTo(last);
    assertThat(s.guestProfiles().get(last).text()).contains("profile libvirt-" + last + " {}\n");
  }

  @Test
  void readsTheRealDebian12Tree() {
    Path debian = Fixtures.path("libvirt/debian12-9.0.0");
    HostSnapshot s = SnapshotReader.read(TestHosts.layout(debian));
    assertThat(s.qemuConf().exists()).isTrue();
    assertThat(s.templateQemu().text())
        .hasValueSatisfying(t -> assertThat(t).contains("profile LIBVIRT_TEMPLATE"));
    assertThat(s.templateLxc().exists()).isTrue();
    assertThat(s.libvirtdProfile().exists()).isTrue();
    assertThat(s.guestProfiles()).isEmpty();
    assertThat(s.domains()).isEmpty();
    assertThat(s.siteRulesLocal().exists()).isFalse();
  }
}
