package io.svirtctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.DemoHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue case 7 and the doctor part of case 2, on the demo host with the real apparmor_parser:
 * doctor is a diagnosis (every bad file a finding), compiles every profile, reports qemu.conf
 * values libvirt refuses, unconfined seclabels and running guests without a profile, judges modes
 * against a declared state, and gives the fix that fits a kernel without AppArmor.
 */
class DoctorDiagnosisTest {

  private static final String WEB01_UUID = "5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  private static final String DB01_UUID = "9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";
  private static final String WEB01 = "libvirt-" + WEB01_UUID;
  private static final String DB01 = "libvirt-" + DB01_UUID;

  @TempDir Path temp;
  DemoHost demo;

  @BeforeEach
  void host() throws IOException {
    demo = DemoHost.in(temp);
    // A confined demo host: the one thing the demo leaves off.
    edit("etc/libvirt/qemu.conf", "security_default_confined = 0", "security_default_confined = 1");
  }

  private void edit(String file, String from, String to) throws IOException {
    Path p = demo.root().resolve(file);
    String text = Files.readString(p, StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    Files.writeString(p, text.replace(from, to), StandardCharsets.UTF_8);
  }

  private CliRun doctor(String... extra) {
    String[] args = new String[extra.length + 5];
    args[0] = "doctor";
    args[1] = "--root";
    args[2] = demo.root().toString();
    args[3] = "-o";
    args[4] = "json";
    System.arraycopy(extra, 0, args, 5, extra.length);
    return CliRun.run(demo.env(), "", args);
  }

  private static String finding(String check, String severity, String messageStart) {
    return "{\"check\":\"" + check + "\",\"severity\":\"" + severity + "\",\"message\":\"" + messageStart;
  }

  @Test
  void theConfinedDemoHostIsHealthyAndEveryProfileCompiles() {
    CliRun r = doctor();
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains(finding("profiles.compile", "ok", "apparmor_parser "))
        .contains("compiles every profile (");
  }

  @Test
  void oneBadFileOfEachKindIsAFindingAndTheDiagnosisGoesOn() throws IOException {
    Files.writeString(demo.root().resolve("etc/libvirt/qemu/web01.xml"), "<domain><name>web01</name>\n");
    Path db01 = demo.root().resolve("etc/apparmor.d/libvirt/" + DB01);
    Files.writeString(db01, Files.readString(db01) + "}\n");
    Files.writeString(demo.root().resolve("etc/libvirt/qemu.conf"), "security_driver = [\n");

    CliRun r = doctor();

    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains(finding("host.file", "error", demo.root().resolve("etc/libvirt/qemu/web01.xml") + ":2:"))
        .contains(finding("guest." + DB01_UUID, "error", "guest db01 (" + DB01_UUID + "): its profile does not parse"))
        .contains(finding("qemu_conf", "error", "/etc/libvirt/qemu.conf:"))
        .contains(finding("apparmor.enabled", "ok", ""))
        .contains(finding("template.qemu", "ok", ""));
  }

  @Test
  void everyProfileIsCompiledAndARefusalNamesTheHostFileAndLine() throws IOException {
    Path local = demo.root().resolve("etc/apparmor.d/local/abstractions/libvirt-qemu");
    Files.writeString(local, "# site rules\n  /srv/images/** rwkx,\n");

    CliRun r = doctor();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(finding("profiles.compile", "error",
            "/etc/apparmor.d/local/abstractions/libvirt-qemu:2: apparmor_parser "))
        .contains("refuses \\\"/srv/images/** rwkx,\\\" (included by /etc/apparmor.d/libvirt/TEMPLATE.qemu)")
        .contains("(included by /etc/apparmor.d/libvirt/" + WEB01 + ")")
        .doesNotContain("svirtctl-check-");
  }

  @Test
  void aQemuConfValueLibvirtRefusesIsAnError() throws IOException {
    Path conf = demo.root().resolve("etc/libvirt/qemu.conf");
    Files.writeString(conf, Files.readString(conf) + "vnc_tls = 5\n");
    long line = Files.readAllLines(conf).size();

    CliRun r = doctor();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains(finding("qemu_conf.value", "error", "/etc/libvirt/qemu.conf:" + line + ":11: "))
        .contains("(libvirt refuses this qemu.conf)");
  }

  @Test
  void aSeclabelThatTakesAGuestOutOfAppArmorIsAnError() throws IOException {
    edit("etc/libvirt/qemu/web01.xml", "</devices>", "</devices>\n  <seclabel type='none'/>");
    edit("etc/libvirt/qemu/db01.xml", "</devices>", "</devices>\n  <seclabel type='dynamic' model='selinux'/>");

    CliRun r = doctor();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains("\"confined\":false")
        .contains(finding("guest." + WEB01_UUID + ".seclabel", "error",
            "guest web01 (" + WEB01_UUID + ") has <seclabel type='none'/> (/etc/libvirt/qemu/web01.xml:"))
        .contains(finding("guest." + DB01_UUID + ".seclabel", "error",
            "guest db01 (" + DB01_UUID + ") has <seclabel model='selinux'>"))
        .contains("0 of 3 defined guest(s) have an enforcing profile");
  }

  @Test
  void defaultConfinedOffIsAnError() throws IOException {
    edit("etc/libvirt/qemu.conf", "security_default_confined = 1", "security_default_confined = 0");
    CliRun r = doctor();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains(finding("qemu_conf.security_default_confined", "error", ""));
  }

  @Test
  void aRunningGuestWithoutAProfileIsAnError() throws IOException {
    Files.delete(demo.root().resolve("etc/apparmor.d/libvirt/" + WEB01));
    Path status = demo.root().resolve("run/libvirt/qemu/web01.xml");
    Files.createDirectories(status.getParent());
    Files.writeString(status, "<domstatus state='running' reason='booted' pid='4242'>\n"
        + Files.readString(demo.root().resolve("etc/libvirt/qemu/web01.xml")).replaceAll("<!--.*-->\n", "")
        + "</domstatus>\n");

    CliRun r = doctor();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains(finding("guest." + WEB01_UUID, "error",
        "guest web01 (" + WEB01_UUID + ") is running without a profile file"));
  }

  @Test
  void aComplainModeTheStateDeclaresIsNoWarningAndAModeItDoesNotIsDrift() throws IOException {
    Path db01 = demo.root().resolve("etc/apparmor.d/libvirt/" + DB01);
    Files.writeString(db01, Files.readString(db01).replace("flags=(attach_disconnected)", "flags=(attach_disconnected, complain)"));
    Path state = temp.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n    list:\n"
        + "      db01: {mode: complain}\n      web01: {mode: complain}\n");

    CliRun without = doctor();
    assertThat(without.out()).contains(finding("guest." + DB01_UUID, "warning", "guest db01"));

    CliRun with = doctor("-f", state.toString(), "--host", "hv");
    assertThat(with.exitCode()).as(with.err()).isZero();
    assertThat(with.out())
        .contains(finding("guest." + DB01_UUID, "ok", "guest db01 (" + DB01_UUID + ") is in complain mode, as the state declares"))
        .doesNotContain(finding("guest." + DB01_UUID, "warning", ""))
        .contains(finding("state.apparmor.guests." + WEB01_UUID + ".mode", "warning",
            "guest web01 (" + WEB01_UUID + ") is in enforce mode, the state declares complain"));
  }

  @Test
  void aKernelWithoutAppArmorGetsTheFixThatEnablesIt() throws IOException {
    Files.writeString(demo.root().resolve("sys/module/apparmor/parameters/enabled"), "N\n");
    CliRun r = doctor();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains(finding("apparmor.enabled", "error", ""))
        .contains(finding("qemu_conf.security_driver", "error",
            "security_driver is \\\"none\\\" (probed): the kernel has no AppArmor for libvirt to find"))
        .contains("apparmor=1 security=apparmor")
        .doesNotContain("set qemu_conf.security_driver");
  }
}
