package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The profiles libvirt ships and writes: found, and complain then enforce gives the same bytes. */
class LibvirtProfilesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "libvirt/debian12-9.0.0/etc/apparmor.d/usr.sbin.libvirtd",
        "libvirt/debian12-9.0.0/etc/apparmor.d/usr.lib.libvirt.virt-aa-helper",
        "libvirt/debian12-9.0.0/etc/apparmor.d/libvirt/TEMPLATE.qemu",
        "libvirt/debian12-9.0.0/etc/apparmor.d/libvirt/TEMPLATE.lxc",
        "libvirt/upstream-11.3.0/TEMPLATE.qemu",
        "libvirt/virt-aa-helper-9.0.0-output/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab"
      })
  void roundTripsThroughBothModes(String fixture) throws IOException {
    String text = Files.readString(Fixtures.path(fixture), StandardCharsets.UTF_8);
    ProfileDocument d = ProfileDocument.parse(fixture, text);
    assertThat(d.headers()).isNotEmpty();
    assertThat(d.mode()).isEqualTo(Mode.ENFORCE);
    ProfileDocument complain = d.withMode(Mode.COMPLAIN);
    assertThat(complain.mode()).isEqualTo(Mode.COMPLAIN);
    assertThat(complain.headers()).allSatisfy(h -> assertThat(h.flags()).contains("complain"));
    assertThat(complain.withMode(Mode.ENFORCE).text()).isEqualTo(text);
  }
}
