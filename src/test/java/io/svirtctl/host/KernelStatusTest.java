package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelStatusTest {

  @TempDir Path root;

  static HostLayout layout(Path root) {
    return new HostLayout(
        root,
        Path.of("/etc/libvirt/qemu.conf"),
        Path.of("/etc/apparmor.d"),
        Path.of("/etc/libvirt"),
        Path.of("/var/lib/svirtctl"),
        Path.of("/sbin/apparmor_parser"),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10));
  }

  @Test
  void readsEnabledAndLoadedProfilesUnderTheRoot() throws IOException {
    Path enabled = root.resolve("sys/module/apparmor/parameters/enabled");
    Files.createDirectories(enabled.getParent());
    Files.writeString(enabled, "Y\n");
    Path profiles = root.resolve("sys/kernel/security/apparmor/profiles");
    Files.createDirectories(profiles.getParent());
    Files.writeString(
        profiles,
        "libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab (complain)\n"
            + "/usr/sbin/libvirtd (enforce)\n"
            + "libvirtd//qemu_bridge_helper (enforce)\n"
            + "/opt/my app/bin (enforce)\n");
    KernelStatus s = KernelStatus.read(layout(root));
    assertThat(s.enabled()).isTrue();
    assertThat(s.loadedProfiles())
        .isEqualTo(
            Map.of(
                "libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab", "complain",
                "/usr/sbin/libvirtd", "enforce",
                "libvirtd//qemu_bridge_helper", "enforce",
                "/opt/my app/bin", "enforce"));
    assertThat(s.isLoaded("/usr/sbin/libvirtd")).isTrue();
    assertThat(s.modeOf("libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab")).contains("complain");
  }

  @Test
  void missingFilesMeanDisabledAndNothingLoaded() throws IOException {
    assertThat(KernelStatus.read(layout(root))).isEqualTo(new KernelStatus(false, Map.of()));
    Path enabled = root.resolve("sys/module/apparmor/parameters/enabled");
    Files.createDirectories(enabled.getParent());
    Files.writeString(enabled, "N\n");
    assertThat(KernelStatus.read(layout(root)).enabled()).isFalse();
  }
}
