package io.svirtctl.learn;

import static io.svirtctl.testing.DebianRoot.WEB01;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.Fixtures;
import io.svirtctl.cli.CliRun;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.testing.DebianRoot;
import io.svirtctl.testing.FakeParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop learn exists for, on a copy of a real Debian host with the real apparmor_parser: a
 * guest in complain, its events logged in every form records arrive in, {@code learn --write}
 * into the state file, {@code apply}, and the guest switched to enforce.
 */
class LearnIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The state before learning: web01 in complain; some of its accesses already declared. */
  private static final String HOST_STATE = "# hv's confinement, reviewed in git\n"
      + "apiVersion: svirtctl/v1\nkind: Host\n\n"
      + "qemu_conf:\n  security_driver: apparmor   # sVirt on\n"
      + "apparmor:\n"
      + "  template:\n    flags: [attach_disconnected]\n    rules:\n      - '/srv/vm-images/** rwk,'\n"
      + "  site_rules: [\"/srv/iso/journal* r,\"]\n"
      + "  guests:\n    default_mode: enforce\n    list:\n"
      + "      web01:\n        mode: complain    # learning\n        rules:\n"
      + "          - \"/srv/iso/bare.iso r,\"\n"
      + "\n# end\n";

  /** Rules the declared state above already allows: never proposed. */
  private static final List<String> DECLARED = List.of("/srv/vm-images/lock.img k,",
      "/srv/vm-images/trunc.img w,", "/srv/iso/journald.iso r,", "/srv/iso/journalk.iso r,",
      "/srv/iso/bare.iso r,");

  @TempDir Path temp;
  private Path root;
  private Map<String, String> env;
  private final List<String> logArgs = new ArrayList<>();
  private String stdin;

  @BeforeEach
  void hostAndLogs() throws IOException {
    assumeTrue(Files.isExecutable(FakeParser.REAL)
        || !"1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS")), "apparmor_parser not installed");
    root = temp.resolve("root");
    DebianRoot.build(root);
    Files.copy(Fixtures.path("libvirt/virt-aa-helper-9.0.0-output/libvirt-" + WEB01 + ".files"),
        Files.createDirectories(root.resolve("etc/apparmor.d/libvirt"))
            .resolve("libvirt-" + WEB01 + ".files"));
    env = FakeParser.install(temp.resolve("parser"));
    // One log per input form, each with other hosts' noise around its record.
    int i = 0;
    for (Map.Entry<String, String> form : LearnLogs.everyForm(WEB01).entrySet()) {
      Path log = temp.resolve("logs/" + (i++) + ".log");
      Files.createDirectories(log.getParent());
      Files.write(log, List.of(
          "Dec  2 10:00:00 hv systemd[1]: Started Session 4 of user root.",
          "type=AVC msg=audit(1764669601.500:99): apparmor=\"STATUS\" operation=\"profile_load\""
              + " profile=\"unconfined\" name=\"libvirt-" + WEB01 + "\" pid=1 comm=\"apparmor_parser\"",
          form.getValue(),
          "type=AVC msg=audit(1764669601.600:98): "
              + LearnLogs.record("x", "open", "/etc/shadow", "r", false)
                  .replace("libvirt-x", "/usr/sbin/cupsd")));
      logArgs.addAll(List.of("--log", log.toString()));
    }
    // A rotated log, gzipped, and standard input, each with an access of its own.
    Path gz = temp.resolve("logs/audit.log.1.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(("type=AVC msg=audit(1764669601.700:100): "
          + LearnLogs.record(WEB01, "open", "/srv/iso/rotated.iso", "r", false) + "\n").getBytes());
    }
    logArgs.addAll(List.of("--log", gz.toString(), "--log", "-"));
    stdin = "type=AVC msg=audit(1764669601.800:101): "
        + LearnLogs.record(WEB01, "open", "/srv/iso/stdin.iso", "r", false) + "\n";
  }

  private CliRun svirtctl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", root.toString()));
    return CliRun.run(env, args[0].equals("learn") ? stdin : "", all.toArray(String[]::new));
  }

  private CliRun learn(String... args) {
    List<String> all = new ArrayList<>(List.of("learn"));
    all.addAll(logArgs);
    all.addAll(List.of(args));
    return svirtctl(all.toArray(String[]::new));
  }

  /** The rules learn should propose for the logs, in the order their events were read. */
  private static List<String> expected() {
    List<String> rules = new ArrayList<>(LearnLogs.expectedRules());
    rules.removeAll(DECLARED);
    rules.add("/srv/iso/rotated.iso r,");
    rules.add("/srv/iso/stdin.iso r,");
    return rules;
  }

  private static String items(List<String> rules, String indent) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String rule : rules) {
      b.append(indent).append("- ").append(JSON.writeValueAsString(rule)).append('\n');
    }
    return b.toString();
  }

  private Path guestProfile() {
    return root.resolve("etc/apparmor.d/libvirt/libvirt-" + WEB01);
  }

  private void compiles(Path profile) throws Exception {
    assumeTrue(Files.isExecutable(FakeParser.REAL), "apparmor_parser not installed");
    new ApparmorParser(FakeParser.REAL, Duration.ofSeconds(60))
        .check(root.resolve("etc/apparmor.d"), profile);
  }

  @Test
  void complainLearnWriteApplyThenEnforce() throws Exception {
    Path state = temp.resolve("state.yaml");
    Files.writeString(state, HOST_STATE);
    CliRun first = svirtctl("apply", "-f", state.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(first.exitCode()).as(first.err()).isEqualTo(2);
    assertThat(Files.readString(guestProfile()))
        .contains("profile libvirt-" + WEB01 + " flags=(attach_disconnected, complain) {");

    CliRun learned = learn("-f", state.toString(), "--host", "hv", "--write", "-o", "json");

    assertThat(learned.exitCode()).as(learned.err()).isZero();
    JsonNode doc = JSON.readTree(learned.out());
    JsonNode guest = doc.get("guests").get(0);
    assertThat(guest.get("name").asText()).isEqualTo("web01");
    assertThat(guest.get("events").asInt()).isEqualTo(LearnLogs.everyForm(WEB01).size() + 2);
    List<String> rules = new ArrayList<>();
    guest.get("rules").forEach(n -> rules.add(n.asText()));
    assertThat(rules).containsExactlyElementsOf(expected());
    assertThat(doc.get("sources")).hasSize(LearnLogs.everyForm(WEB01).size() + 2);
    // Every other byte of the state file is as it was: comments, quoting, blank lines.
    String anchor = "          - \"/srv/iso/bare.iso r,\"\n";
    String written = Files.readString(state);
    assertThat(written).isEqualTo(
        HOST_STATE.replace(anchor, anchor + items(expected(), "          ")));

    CliRun applied = svirtctl("apply", "-f", state.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(applied.exitCode()).as(applied.err()).isEqualTo(2);
    String profile = Files.readString(guestProfile());
    for (String rule : expected()) {
      assertThat(profile).contains("  " + rule + "\n");
    }
    compiles(guestProfile());

    // Learning again from the same logs proposes nothing and writes nothing.
    FileTime mtime = Files.getLastModifiedTime(state);
    CliRun again = learn("-f", state.toString(), "--host", "hv", "--write");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("web01 " + WEB01 + ": " + guest.get("events").asInt()
        + " events, 0 rules proposed");
    assertThat(Files.readString(state)).isEqualTo(written);
    assertThat(Files.getLastModifiedTime(state)).isEqualTo(mtime);

    // Back to enforce: applies cleanly, keeps the rules, compiles, and then is in sync.
    Files.writeString(state, written.replace("mode: complain    # learning",
        "mode: enforce    # learned"));
    CliRun enforce = svirtctl("apply", "-f", state.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(enforce.exitCode()).as(enforce.err()).isEqualTo(2);
    String enforced = Files.readString(guestProfile());
    assertThat(enforced).contains("profile libvirt-" + WEB01 + " flags=(attach_disconnected) {");
    for (String rule : expected()) {
      assertThat(enforced).contains("  " + rule + "\n");
    }
    compiles(guestProfile());
    CliRun inSync = svirtctl("apply", "-f", state.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(inSync.exitCode()).as(inSync.err() + inSync.out()).isZero();
  }

  @Test
  void aFleetFileGetsTheHostsGuestEntryAndApplies() throws Exception {
    Path fleet = temp.resolve("fleet.yaml");
    String before = "apiVersion: svirtctl/v1\nkind: Fleet\n"
        + "groups:\n  - hosts: [\"hv*\"]   # every hypervisor\n"
        + "    qemu_conf: {security_driver: apparmor}\n"
        + "    apparmor:\n      guests: {default_mode: complain}\n"
        + "hosts:\n  hv02: {}\n";
    Files.writeString(fleet, before);

    CliRun learned = learn("-f", fleet.toString(), "--host", "hv", "--write");

    assertThat(learned.exitCode()).as(learned.err()).isZero();
    List<String> all = new ArrayList<>(LearnLogs.expectedRules());
    all.add("/srv/iso/rotated.iso r,");
    all.add("/srv/iso/stdin.iso r,");
    assertThat(Files.readString(fleet)).isEqualTo(before
        + "  hv:\n    apparmor:\n      guests:\n        list:\n          web01:\n"
        + "            rules:\n" + items(all, "              "));
    CliRun applied = svirtctl("apply", "-f", fleet.toString(), "--host", "hv", "--detailed-exitcode");
    assertThat(applied.exitCode()).as(applied.err()).isEqualTo(2);
    String profile = Files.readString(guestProfile());
    assertThat(profile).contains("flags=(attach_disconnected, complain)");
    for (String rule : all) {
      assertThat(profile).contains("  " + rule + "\n");
    }
    compiles(guestProfile());
    assertThat(learn("-f", fleet.toString(), "--host", "hv").out()).contains("0 rules proposed");
  }
}
