package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.Fixtures;
import io.svirtctl.InvalidInputException;
import io.svirtctl.Uuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvirtTemplateTest {

  private static final String UUID = "5b3a1c1e-8a51-4d7c-9a77-0123456789ab";

  @Test
  void instantiatesTheDebianTemplateExactlyAsLibvirtDid() throws IOException {
    String template =
        Files.readString(
            Fixtures.path("libvirt/debian12-9.0.0/etc/apparmor.d/libvirt/TEMPLATE.qemu"),
            StandardCharsets.UTF_8);
    String expected =
        Files.readString(
            Fixtures.path("libvirt/virt-aa-helper-9.0.0-output/libvirt-" + UUID),
            StandardCharsets.UTF_8);
    SvirtTemplate t = SvirtTemplate.parse("TEMPLATE.qemu", template);
    assertThat(t.instantiate(new Uuid(UUID))).isEqualTo(expected);
    assertThat(t.text()).isEqualTo(template);
    assertThat(t.document().flags(SvirtTemplate.PROFILE_NAME)).containsExactly("attach_disconnected");
  }

  @Test
  void instantiatesAnEditedTemplateWithItsFlagsAndRules() {
    String own = "# site template\nprofile LIBVIRT_TEMPLATE {\n  /x r,\n}\n";
    ProfileDocument edited =
        SvirtTemplate.parse("T", own)
            .document()
            .withFlags(SvirtTemplate.PROFILE_NAME, List.of("attach_disconnected"))
            .withManagedRules(SvirtTemplate.PROFILE_NAME, List.of("/srv/** r,"));
    String guest =
        SvirtTemplate.parse("T", edited.text())
            .instantiate(new Uuid("00000000-0000-4000-8000-000000000001"));
    ProfileDocument g = ProfileDocument.parse("g", guest);
    String name = "libvirt-00000000-0000-4000-8000-000000000001";
    assertThat(g.flags(name)).containsExactly("attach_disconnected");
    assertThat(g.managedRules(name)).containsExactly("/srv/** r,");
    assertThat(guest).endsWith("  #include <libvirt/" + name + ".files>\n\n}\n");
  }

  @Test
  void refusesTemplatesLibvirtWouldMisuseNamingTheLine() {
    assertThatThrownBy(() -> SvirtTemplate.parse("T", "profile LIBVIRT_TEMPLATE {\n}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("T:1:1: 'profile LIBVIRT_TEMPLATE' must not be on line 1");
    assertThatThrownBy(
            () ->
                SvirtTemplate.parse(
                    "T", "#\nprofile LIBVIRT_TEMPLATE {\n}\nprofile LIBVIRT_TEMPLATE {\n}\n"))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).diagnostics())
                    .extracting(d -> d.location().line())
                    .containsExactly(4, 5));
    assertThatThrownBy(
            () -> SvirtTemplate.parse("T", "#\nprofile LIBVIRT_TEMPLATE {\n  ^h {\n}\n}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("T:5:1: a second '}' in column 0");
    assertThatThrownBy(() -> SvirtTemplate.parse("T", "#\nprofile other {\n}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no line starts with 'profile LIBVIRT_TEMPLATE'");
    assertThatThrownBy(() -> SvirtTemplate.parse("T", "#\nprofile LIBVIRT_TEMPLATE {\n  }\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no '}' in column 0");
  }
}
