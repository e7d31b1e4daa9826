package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code profile-mode complain|enforce GUEST…}: guests by domain name or UUID, on the demo host. */
class ProfileModeByGuestTest {

  private static final Map<String, String> NO_PARSER =
      Map.of("SVIRTCTL_APPARMOR_PARSER", "/nonexistent/apparmor_parser");
  private static final String WEB01 = "/etc/apparmor.d/libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  private static final String DB01 = "/etc/apparmor.d/libvirt/libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";
  private static final String SCRATCH = "/etc/apparmor.d/libvirt/libvirt-0e0e0e0e-dead-4bee-8fee-0e0e0e0e0e0e";

  @TempDir Path temp;
  private Path root;

  @BeforeEach
  void demo() throws IOException {
    root = temp.resolve("root");
    Trees.copy(Trees.DEMO, root);
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "profile-mode";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--root";
    all[args.length + 2] = root.toString();
    all[args.length + 3] = "--no-reload";
    all[args.length + 4] = "--detailed-exitcode";
    return CliRun.run(NO_PARSER, "", all);
  }

  private String profile(String path) throws IOException {
    return Files.readString(root.resolve(path.substring(1)));
  }

  @Test
  void aNameAndAnUppercaseUuidMeanTheirGuestsProfiles() throws IOException {
    CliRun r = run("complain", "web01", "9D1F4E2A-3C5B-4A6D-8E7F-00112233AABB");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).isEqualTo("complain: " + WEB01 + "\ncomplain: " + DB01 + "\n");
    assertThat(profile(WEB01)).contains("complain");
    assertThat(profile(DB01)).contains("complain");
    assertThat(run("complain", "web01").exitCode()).as("second run changes nothing").isZero();
  }

  @Test
  void aRunningTransientGuestIsFoundByTheNameInItsStatusXml() throws IOException {
    Path run = Files.createDirectories(root.resolve("run/libvirt/qemu"));
    Files.writeString(run.resolve("scratch.xml"),
        "<domstatus state='running'>\n  <domain type='kvm'>\n    <name>scratch</name>\n"
            + "    <uuid>0e0e0e0e-dead-4bee-8fee-0e0e0e0e0e0e</uuid>\n  </domain>\n</domstatus>\n");
    CliRun r = run("enforce", "scratch");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).isEqualTo("enforce: " + SCRATCH + "\n");
  }

  @Test
  void anUnknownNameIsBadInputWithTheNearestNameAndNothingIsWritten() {
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    CliRun r = run("complain", "web01", "Web01", "db1", "ghost");
    assertThat(r.exitCode()).isEqualTo(65);
    assertThat(r.err()).isEqualTo(
        "svirtctl: Web01: no guest of that name is defined or running on this host, and there is"
            + " no such file (did you mean 'web01'?)\n"
            + "svirtctl: db1: no guest of that name is defined or running on this host, and there is"
            + " no such file (did you mean 'db01'?)\n"
            + "svirtctl: ghost: no guest of that name is defined or running on this host, and there"
            + " is no such file\n");
    assertThat(Trees.snapshot(root)).containsExactlyEntriesOf(before);
  }

  @Test
  void aPathIsStillAFile() {
    CliRun r = run("complain", WEB01);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).isEqualTo("complain: " + WEB01 + "\n");
  }

  @Test
  void aBrokenDomainXmlStopsOnlyTheGuestItMayDescribe() throws IOException {
    Path broken = root.resolve("etc/libvirt/qemu/broken.xml");
    Files.writeString(broken, "<domain type='kvm'>\n  <name>broken</name>\n");
    CliRun ok = run("complain", "web01");
    assertThat(ok.exitCode()).as(ok.err()).isEqualTo(2);
    assertThat(ok.out()).isEqualTo("complain: " + WEB01 + "\n");

    CliRun r = run("complain", "broken");
    assertThat(r.exitCode()).isEqualTo(65);
    assertThat(r.err()).startsWith(
        "svirtctl: broken: this guest's domain XML cannot be used: " + broken + ":");
  }
}
