package io.svirtctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.DemoHost;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue cases 3, 4 and 6 on the demo host with the real apparmor_parser: the whole effect of a
 * change is compiled before the first write (a site rule reaches every guest through the local
 * abstraction), plan and {@code apply --check} refuse exactly as apply does, and the refusal names
 * the rule's position in the state file, the parser's version and its message once.
 */
class WholeEffectCheckTest {

  private static final String WEB01 = "libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  private static final String DB01 = "libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";
  private static final String X_WITHOUT_QUALIFIER =
      "Invalid mode, 'x' must be preceded by exec qualifier 'i', 'p', 'c', or 'u'";

  @TempDir Path temp;
  Path root;
  Map<String, String> env;

  @BeforeEach
  void host() throws IOException {
    DemoHost demo = DemoHost.in(temp);
    root = demo.root();
    env = demo.env();
  }

  private Path state(String body) throws IOException {
    Path state = temp.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\n" + body, StandardCharsets.UTF_8);
    return state;
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--host", "hv", "--root", root.toString()}, 0, all, args.length, 4);
    return CliRun.run(env, "", all);
  }

  /** What the real parser says about its version, as a user would check it. */
  private static String parserVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(FakeParser.REAL.toString(), "--version").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.lines().findFirst().orElseThrow().replaceAll(".*version ", "").strip();
  }

  @Test
  void aBadSiteRuleIsRefusedAtItsPositionByPlanCheckAndApplyAlikeWithNothingWritten() throws Exception {
    Path state = state("apparmor:\n  site_rules:\n    - \"/srv/iso/** r,\"\n    - \"/srv/images/** rwkx,\"\n");
    String expected = "svirtctl: " + state + ":6:7: apparmor.site_rules[1]: apparmor_parser "
        + parserVersion() + " refuses \"/srv/images/** rwkx,\": " + X_WITHOUT_QUALIFIER + "\n";
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    for (List<String> command : List.of(
        List.of("plan", "-f", state.toString()),
        List.of("apply", "--check", "-f", state.toString()),
        List.of("apply", "-f", state.toString()))) {
      CliRun r = run(command.toArray(String[]::new));
      assertThat(r.exitCode()).as(command + ": " + r.err()).isEqualTo(65);
      assertThat(r.err()).as(command.toString()).isEqualTo(expected);
      assertThat(Trees.managed(Trees.snapshot(root))).as(command + " wrote nothing")
          .containsExactlyEntriesOf(Trees.managed(before));
    }
    assertThat(Files.exists(root.resolve("var/lib/svirtctl/check"))).as("no scratch under the root").isFalse();
  }

  @Test
  void checkModeExitsAsApplyWouldWithDetailedExitCodeWhenTheChangeCompiles() throws Exception {
    Path state = state("apparmor:\n  site_rules: [\"/srv/images/** rwk,\"]\n");
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    CliRun check = run("apply", "--check", "--detailed-exitcode", "-f", state.toString());
    assertThat(check.exitCode()).as(check.err()).isEqualTo(2);
    assertThat(Trees.managed(Trees.snapshot(root))).containsExactlyEntriesOf(Trees.managed(before));
    CliRun apply = run("apply", "--detailed-exitcode", "-f", state.toString());
    assertThat(apply.exitCode()).as(apply.err()).isEqualTo(2);
  }

  @Test
  void aSiteRulesChangeReloadsEveryLoadedGuestThatIncludesIt() throws Exception {
    Path state = state("apparmor:\n  site_rules: [\"/srv/images/** rwk,\"]\n");
    CliRun apply = run("apply", "-f", state.toString(), "-o", "json");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    // Both demo guests include libvirt's QEMU abstraction and are loaded; the third is not loaded.
    assertThat(apply.out()).contains("\"reloaded\":[\"" + WEB01 + "\",\"" + DB01 + "\"]");
    assertThat(FakeParser.log(temp.resolve("parser")))
        .contains("-r " + root.resolve("etc/apparmor.d/libvirt/" + WEB01))
        .contains("-r " + root.resolve("etc/apparmor.d/libvirt/" + DB01))
        .doesNotContain("0e0e0e0e-dead");
  }

  @Test
  void aHostBrokenByABadSiteRuleIsRepairedByTheCorrectiveApply() throws Exception {
    Path local = root.resolve("etc/apparmor.d/local/abstractions/libvirt-qemu");
    Files.writeString(local, "# BEGIN svirtctl managed rules\n  /srv/images/** rwkx,\n# END svirtctl managed rules\n");
    Path state = state("apparmor:\n  site_rules: [\"/srv/images/** rwk,\"]\n  guests:\n    default_mode: complain\n");
    CliRun apply = run("apply", "-f", state.toString());
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(Files.readString(local)).contains("/srv/images/** rwk,").doesNotContain("rwkx");
  }

  @Test
  void aFaultInAHostFileNamesThatFileAndLine() throws Exception {
    Path abstraction = root.resolve("etc/apparmor.d/abstractions/libvirt-qemu");
    List<String> lines = Files.readAllLines(abstraction);
    int at = lines.size() - 1; // before the last line; 1-based line of the insertion is `at + 1`
    lines.add(at, "  /opt/broken/** rwkx,");
    Files.write(abstraction, lines);
    Path state = state("apparmor:\n  guests:\n    list:\n      web01: {mode: complain}\n");
    CliRun plan = run("plan", "-f", state.toString());
    assertThat(plan.exitCode()).isEqualTo(65);
    assertThat(plan.err().lines()).hasSize(1);
    assertThat(plan.err())
        .startsWith("svirtctl: /etc/apparmor.d/abstractions/libvirt-qemu:" + (at + 1) + ": apparmor_parser ")
        .contains("refuses \"/opt/broken/** rwkx,\" (included by /etc/apparmor.d/libvirt/" + WEB01 + "): "
            + X_WITHOUT_QUALIFIER)
        .doesNotContain(System.getProperty("java.io.tmpdir") + "/svirtctl-check");
  }

  @Test
  void aBadGuestRuleNamesItsPositionInTheStateFile() throws Exception {
    Path state = state("apparmor:\n  guests:\n    list:\n      web01:\n        rules: [\"/srv/a r,\", \"/srv/x qqq,\"]\n");
    CliRun apply = run("apply", "-f", state.toString());
    assertThat(apply.exitCode()).isEqualTo(65);
    assertThat(apply.err().lines()).hasSize(1);
    assertThat(apply.err())
        .startsWith("svirtctl: " + state + ":7:30: ")
        .contains(": apparmor.guests.list.web01.rules[1]: apparmor_parser ")
        .contains(" refuses \"/srv/x qqq,\": ");
  }

  @Test
  void aBadLineInTheTemplatesContentNamesTheContentAndItsLine() throws Exception {
    String template = Files.readString(root.resolve("etc/apparmor.d/libvirt/TEMPLATE.qemu"));
    String bad = template.replaceFirst("\\{\n", "{\n  /srv/bad/** rwkx,\n");
    long line = bad.substring(0, bad.indexOf("/srv/bad")).lines().count();
    Path state = state("apparmor:\n  template:\n    content: |\n"
        + bad.lines().map(l -> l.isEmpty() ? "" : "      " + l).collect(java.util.stream.Collectors.joining("\n")) + "\n");
    CliRun plan = run("plan", "-f", state.toString());
    assertThat(plan.exitCode()).as(plan.err()).isEqualTo(65);
    assertThat(plan.err()).startsWith("svirtctl: " + state + ":5:14: apparmor.template.content, line " + line
        + ": apparmor_parser ").contains(" refuses \"/srv/bad/** rwkx,\": " + X_WITHOUT_QUALIFIER);
  }
}
