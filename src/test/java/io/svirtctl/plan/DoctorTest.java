package io.svirtctl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.host.KernelStatus;
import io.svirtctl.testing.MemoryHost;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The doctor's diagnosis of snapshots held in memory: which check stands how, with which fix. */
class DoctorTest {

  static Severity severityOf(List<Finding> findings, String check) {
    return findings.stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow().severity();
  }

  @Test
  void aConfinedHostIsHealthy() {
    MemoryHost host = MemoryHost.stock()
        .file(PlannerTest.QEMU_CONF, "security_driver = \"apparmor\"\n")
        .guest("web01", PlannerTest.WEB, true);
    KernelStatus kernel = new KernelStatus(true, Map.of("libvirtd", "enforce",
        PlannerTest.WEB.profileName(), "enforce"));
    List<Finding> findings = Doctor.examine(host.snapshot(), kernel);
    assertThat(findings).allSatisfy(f -> assertThat(f.severity()).as(f.message()).isEqualTo(Severity.OK));
    assertThat(findings).extracting(Finding::check).contains(
        "apparmor.enabled", "qemu_conf.security_driver", "libvirtd.profile", "libvirtd.loaded",
        "template.qemu", "template.lxc", "guests");
    assertThat(findings).filteredOn(f -> f.check().equals("guests")).singleElement()
        .satisfies(f -> assertThat(f.message()).startsWith("1 of 1 defined guest(s)"));
  }

  @Test
  void eachWayConfinementIsOffIsFoundWithItsFix() {
    MemoryHost host = MemoryHost.stock()
        .file(PlannerTest.QEMU_CONF, "security_driver = \"none\"\nsecurity_default_confined = 0\n")
        .without(MemoryHost.PATHS.templateLxc())
        .guest("web01", PlannerTest.WEB, false)
        .guest("db01", PlannerTest.DB, false)
        .profile(PlannerTest.DB, MemoryHost.libvirtProfile(PlannerTest.DB, ", complain"));
    List<Finding> findings = Doctor.examine(host.snapshot(), new KernelStatus(false, Map.of()));

    assertThat(severityOf(findings, "apparmor.enabled")).isEqualTo(Severity.ERROR);
    assertThat(severityOf(findings, "qemu_conf.security_driver")).isEqualTo(Severity.ERROR);
    assertThat(severityOf(findings, "qemu_conf.security_default_confined")).isEqualTo(Severity.ERROR);
    assertThat(severityOf(findings, "template.lxc")).isEqualTo(Severity.ERROR);
    assertThat(severityOf(findings, "guest." + PlannerTest.WEB)).isEqualTo(Severity.INFO);
    assertThat(severityOf(findings, "guest." + PlannerTest.DB)).isEqualTo(Severity.WARNING);
    // The fix names the guest the way profile-mode takes it, without a path outside --root.
    assertThat(findings).filteredOn(f -> f.check().equals("guest." + PlannerTest.DB)).singleElement()
        .satisfies(f -> assertThat(f.fix()).contains("svirtctl profile-mode enforce " + PlannerTest.DB));
    assertThat(findings).filteredOn(f -> f.severity() != Severity.OK)
        .allSatisfy(f -> assertThat(f.fix()).as(f.check()).isPresent());
    assertThat(findings).extracting(Finding::check).doesNotContain("libvirtd.loaded");
  }

  @Test
  void aProfileLoadedInAnotherModeThanItsFileIsFlagged() {
    MemoryHost host = MemoryHost.stock().guest("web01", PlannerTest.WEB, true);
    KernelStatus kernel = new KernelStatus(true, Map.of(PlannerTest.WEB.profileName(), "complain"));
    List<Finding> findings = Doctor.examine(host.snapshot(), kernel);
    assertThat(severityOf(findings, "guest." + PlannerTest.WEB + ".kernel")).isEqualTo(Severity.WARNING);
    assertThat(severityOf(findings, "libvirtd.loaded")).isEqualTo(Severity.ERROR);
    assertThat(severityOf(findings, "qemu_conf.security_driver")).as("probed: apparmor").isEqualTo(Severity.OK);
  }
}
