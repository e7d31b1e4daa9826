package io.svirtctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.Fixtures;
import io.svirtctl.cli.CliRun;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.testing.DebianRoot;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a copy of a real Debian 12 host tree (libvirt 9.0.0 as packaged): plan, apply,
 * a second apply that changes nothing, and the profile svirtctl creates compared with the one
 * Debian's own virt-aa-helper wrote for the same guest.
 */
class DebianHostIT {

  private static final String UUID = "5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private Path root;
  private Map<String, String> env;

  @BeforeEach
  void debianRoot() throws IOException {
    root = temp.resolve("root");
    DebianRoot.build(root);
    env = FakeParser.install(temp.resolve("parser"));
  }

  private Path state(String yaml) throws IOException {
    Path f = temp.resolve("state.yaml");
    Files.writeString(f, "apiVersion: svirtctl/v1\nkind: Host\n" + yaml);
    return f;
  }

  private CliRun svirtctl(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--root";
    all[args.length + 1] = root.toString();
    return CliRun.run(env, "", all);
  }

  @Test
  void createdGuestProfileIsWhatDebiansVirtAaHelperWrites() throws IOException {
    assumeTrue(Files.isExecutable(FakeParser.REAL) || !"1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS")));
    Path s = state("apparmor:\n  guests:\n    default_mode: enforce\n");
    CliRun apply = svirtctl("apply", "-f", s.toString(), "--host", "hv", "-o", "json", "--detailed-exitcode");
    assertThat(apply.exitCode()).as(apply.err()).isEqualTo(2);
    byte[] ours = Files.readAllBytes(root.resolve("etc/apparmor.d/libvirt/libvirt-" + UUID));
    byte[] theirs =
        Files.readAllBytes(Fixtures.path("libvirt/virt-aa-helper-9.0.0-output/libvirt-" + UUID));
    assertThat(new String(ours, StandardCharsets.UTF_8))
        .isEqualTo(new String(theirs, StandardCharsets.UTF_8));
  }

  @Test
  void fullStateAppliesOnceThenIsInSyncWithEveryByteAndMtimeKept() throws IOException {
    Path s =
        state(
            "qemu_conf:\n"
                + "  security_driver: apparmor\n"
                + "  security_default_confined: true\n"
                + "  security_require_confined: true\n"
                + "  cgroup_device_acl: [/dev/null, /dev/full, /dev/zero, /dev/random, /dev/urandom, /dev/ptmx, /dev/kvm]\n"
                + "apparmor:\n"
                + "  template:\n"
                + "    flags: [attach_disconnected]\n"
                + "    rules: [\"/srv/vm-images/** rwk,\"]\n"
                + "  site_rules: [\"/srv/iso/** r,\"]\n"
                + "  guests:\n"
                + "    default_mode: enforce\n"
                + "    list:\n"
                + "      web01: {mode: complain, rules: [\"/mnt/scratch/web01/** rwk,\"]}\n");
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    CliRun plan = svirtctl("plan", "-f", s.toString(), "--host", "hv", "-o", "json");
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    JsonNode p = JSON.readTree(plan.out());
    assertThat(p.get("changed").asBoolean()).isTrue();
    assertThat(p.get("check_mode").asBoolean()).isTrue();
    assertThat(p.get("restart_required").get(0).asText()).isEqualTo("libvirtd");
    assertThat(Trees.snapshot(root)).as("plan writes nothing").containsExactlyEntriesOf(before);

    CliRun apply = svirtctl("apply", "-f", s.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(apply.exitCode()).as(apply.err()).isEqualTo(2);
    String conf = Files.readString(root.resolve("etc/libvirt/qemu.conf"));
    assertThat(conf)
        .contains("#security_driver = \"selinux\"\nsecurity_driver = \"apparmor\"\n")
        .contains("security_default_confined = 1")
        .contains("security_require_confined = 1");
    String profile = Files.readString(root.resolve("etc/apparmor.d/libvirt/libvirt-" + UUID));
    assertThat(profile)
        .contains("profile libvirt-" + UUID + " flags=(attach_disconnected, complain) {")
        .contains("  /srv/vm-images/** rwk,\n  /mnt/scratch/web01/** rwk,\n");

    SortedMap<String, byte[]> after = Trees.managed(Trees.snapshot(root));
    Map<String, FileTime> mtimes = Trees.mtimes(root);
    CliRun again = svirtctl("apply", "-f", s.toString(), "--host", "hv", "-o", "json", "--detailed-exitcode");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(JSON.readTree(again.out()).get("changed").asBoolean()).isFalse();
    assertThat(Trees.managed(Trees.snapshot(root))).containsExactlyEntriesOf(after);
    assertThat(Trees.mtimes(root)).containsExactlyEntriesOf(mtimes);

    // Export what the host is now: applying the export changes nothing.
    CliRun export = svirtctl("export", "--host", "hv");
    assertThat(export.exitCode()).as(export.err()).isZero();
    Path exported = temp.resolve("exported.yaml");
    Files.writeString(exported, export.out());
    CliRun fromExport = svirtctl("plan", "-f", exported.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(fromExport.exitCode()).as(fromExport.err() + fromExport.out() + export.out()).isZero();

    // Roll the apply back: every file is as it was before, byte for byte.
    CliRun history = svirtctl("history");
    assertThat(history.out().lines()).hasSize(1);
    String runId = history.out().split(" ")[0];
    CliRun rollback = svirtctl("rollback", runId, "--no-reload");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(Trees.asText(Trees.managed(Trees.snapshot(root))))
        .isEqualTo(Trees.asText(Trees.managed(before)));
    assertThat(svirtctl("history").out().lines()).hasSize(2);
  }

  /** The rules issue 13 lists: what libvirt admins write, refused before the rule lexer. */
  private static final String ADMIN_RULES =
      "[\"/var/lib/libvirt/images/{,**} rwk,\", \"/{,var/}run/libvirt/qemu/*.sock rw,\","
          + " \"@{HOME}/isos/** r,\", \"owner @{HOME}/.cache/libvirt/** rw,\","
          + " \"@{PROC}/@{pid}/task/*/comm rw,\", \"/mnt/ceph/** rwk,  # ceph pool\","
          + " \"include <abstractions/nameservice>\"]";

  @Test
  void theRulesAdminsWriteApplyConvergeAndCompile() throws Exception {
    assumeTrue(Files.isExecutable(FakeParser.REAL) || !"1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS")));
    Path s = state("apparmor:\n"
        + "  template:\n    rules: " + ADMIN_RULES + "\n"
        + "  site_rules: " + ADMIN_RULES + "\n"
        + "  guests:\n    default_mode: enforce\n    list:\n      web01: {rules: " + ADMIN_RULES + "}\n");
    CliRun apply = svirtctl("apply", "-f", s.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(apply.exitCode()).as(apply.err() + apply.out()).isEqualTo(2);
    Path guest = root.resolve("etc/apparmor.d/libvirt/libvirt-" + UUID);
    assertThat(Files.readString(guest))
        .contains("  /mnt/ceph/** rwk,  # ceph pool\n  include <abstractions/nameservice>\n");
    assertThat(Files.readString(root.resolve("etc/apparmor.d/local/abstractions/libvirt-qemu")))
        .contains("  @{PROC}/@{pid}/task/*/comm rw,\n");

    SortedMap<String, byte[]> after = Trees.managed(Trees.snapshot(root));
    Map<String, FileTime> mtimes = Trees.mtimes(root);
    CliRun again = svirtctl("apply", "-f", s.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
    assertThat(Trees.managed(Trees.snapshot(root))).containsExactlyEntriesOf(after);
    assertThat(Trees.mtimes(root)).containsExactlyEntriesOf(mtimes);

    // The real parser compiles what was written: the guest (with the site rules it includes)
    // and the template, each with its managed block.
    assumeTrue(Files.isExecutable(FakeParser.REAL), "apparmor_parser not installed");
    Path apparmor = root.resolve("etc/apparmor.d");
    Files.copy(Fixtures.path("libvirt/virt-aa-helper-9.0.0-output/libvirt-" + UUID + ".files"),
        apparmor.resolve("libvirt/libvirt-" + UUID + ".files"));
    ApparmorParser parser = new ApparmorParser(FakeParser.REAL, Duration.ofSeconds(60));
    parser.check(apparmor, guest);
    parser.check(apparmor, apparmor.resolve("libvirt/TEMPLATE.qemu"));
  }

  @Test
  void rulesWithSurroundingBlanksConvergeAndADuplicateIsAWarningNamingBoth() throws IOException {
    // Before rules were normalised, each apply rewrote the template and the guest profile.
    Path s = state("apparmor:\n  template:\n    rules: [\"  /srv/iso/** r, \", \"/srv/x r,\", \"/srv/iso/**   r,\"]\n"
        + "  guests:\n    list:\n      web01: {rules: [\"/srv/y r,\t\", \"/srv/z r,  # } { profile x {\"]}\n");
    CliRun apply = svirtctl("apply", "-f", s.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(apply.exitCode()).as(apply.err() + apply.out()).isEqualTo(2);
    assertThat(apply.out()).contains("warning: " + s + ":5:47: apparmor.template.rules[2]: the same rule as"
        + " apparmor.template.rules[0] at " + s + ":5:13");
    assertThat(Files.readString(root.resolve("etc/apparmor.d/libvirt/TEMPLATE.qemu")))
        .contains("  /srv/iso/** r,\n  /srv/x r,\n  /srv/iso/**   r,\n");
    CliRun again = svirtctl("apply", "-f", s.toString(), "--host", "hv", "--detailed-exitcode", "-o", "json");
    assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
    assertThat(JSON.readTree(again.out()).get("changed").asBoolean()).isFalse();
  }

  @Test
  void anIncludeThatDoesNotResolveInTheHostsTreeIsRefusedAtItsPosition() throws IOException {
    Path s = state("apparmor:\n  site_rules:\n    - \"include <abstractions/nameservice>\"\n"
        + "    - \"include <abstractions/no-such-file>\"\n    - \"include if exists <local/site-extra>\"\n");
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    CliRun plan = svirtctl("plan", "-f", s.toString(), "--host", "hv");
    assertThat(plan.exitCode()).isEqualTo(65);
    assertThat(plan.err()).isEqualTo("svirtctl: " + s + ":6:7: apparmor.site_rules[1]: include"
        + " <abstractions/no-such-file> does not resolve: /etc/apparmor.d/abstractions/no-such-file does not"
        + " exist on this host (use 'include if exists' for a file that may be missing)\n");
    assertThat(Trees.snapshot(root)).containsExactlyEntriesOf(before);
  }

  @Test
  void doctorFindsConfinementOffWhenTheKernelHasNoAppArmor() throws IOException {
    Files.writeString(root.resolve("sys/module/apparmor/parameters/enabled"), "N\n");
    CliRun doctor = svirtctl("doctor", "-o", "json");
    assertThat(doctor.exitCode()).isEqualTo(1);
    JsonNode d = JSON.readTree(doctor.out());
    assertThat(d.get("confined").asBoolean()).isFalse();
    assertThat(d.get("findings").toString()).contains("\"check\":\"apparmor.enabled\",\"severity\":\"error\"");
  }

  @Test
  void doctorOnTheUntouchedDebianHostReportsTheProbedDriverAndGuestWithoutProfile() throws IOException {
    CliRun doctor = svirtctl("doctor");
    assertThat(doctor.exitCode()).as(doctor.out()).isZero();
    assertThat(doctor.out())
        .contains("security_driver is \"apparmor\" (probed)")
        .contains("guest web01 (" + UUID + ") has no profile yet")
        .contains("profile libvirtd is loaded (enforce)")
        .endsWith("sVirt AppArmor confinement is in force.\n");
  }
}
