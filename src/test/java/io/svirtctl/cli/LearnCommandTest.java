package io.svirtctl.cli;

import static io.svirtctl.learn.LearnLogs.WEB01;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.learn.LearnLogs;
import io.svirtctl.testing.Trees;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnCommandTest {

  private static final String DB01 = "9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";
  private static final String UNKNOWN = "0e0e0e0e-dead-4bee-8fee-0e0e0e0e0e0e";

  @TempDir Path temp;
  private Path root;
  private Path log;

  @BeforeEach
  void demoRoot() throws Exception {
    root = temp.resolve("root");
    Trees.copy(Trees.DEMO, root);
    List<String> lines = new ArrayList<>();
    lines.add("Dec  2 10:00:00 hv01 systemd[1]: Started Session 4 of user root.");
    lines.addAll(LearnLogs.everyForm(WEB01).values());
    lines.add("type=AVC msg=audit(1764669601.500:99): apparmor=\"STATUS\""
        + " operation=\"profile_replace\" profile=\"unconfined\" name=\"libvirt-" + WEB01 + "\"");
    lines.add("type=AVC msg=audit(1764669601.600:98): "
        + LearnLogs.record("x", "open", "/etc/shadow", "r", false).replace("libvirt-x", "/usr/sbin/cupsd"));
    lines.add("type=AVC msg=audit(12x4.5:6): apparmor=\"DENIED\" operation=\"open\"");
    log = temp.resolve("audit.log");
    Files.write(log, lines);
  }

  private CliRun learn(String... args) {
    List<String> all = new ArrayList<>(List.of("learn", "--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.run(all.toArray(String[]::new));
  }

  @Test
  void everyInputFormYieldsItsRuleAsTheLogToolWouldProposeIt() throws Exception {
    CliRun r = learn("--log", log.toString(), "-o", "json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("format_version").asInt()).isEqualTo(1);
    JsonNode guest = doc.get("guests").get(0);
    assertThat(guest.get("uuid").asText()).isEqualTo(WEB01);
    assertThat(guest.get("name").asText()).isEqualTo("web01");
    assertThat(guest.get("events").asInt()).isEqualTo(LearnLogs.everyForm(WEB01).size());
    List<String> rules = new ArrayList<>();
    guest.get("rules").forEach(n -> rules.add(n.asText()));
    assertThat(rules).containsExactlyElementsOf(LearnLogs.expectedRules());
    assertThat(doc.get("records").get("used").asInt()).isEqualTo(LearnLogs.everyForm(WEB01).size());
    assertThat(doc.get("records").get("skipped").asInt()).isEqualTo(3);
    assertThat(doc.get("records").get("unparsed").asInt()).isEqualTo(1);
    assertThat(doc.get("sources").get(0).asText()).isEqualTo(log.toString());
    List<String> keys = new ArrayList<>();
    doc.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("format_version", "guests", "records", "sources");
  }

  @Test
  void textNamesTheGuestTheCountsAndTheUnparsedLine() {
    CliRun r = learn("--log", log.toString());

    assertThat(r.out()).contains("guest web01 " + WEB01 + ": 15 events, 15 rules proposed")
        .contains("  + capability net_admin,")
        .contains("records: 15 used, 3 skipped, 1 unparsed; read " + log)
        .contains("unparsed: " + log + ":19: malformed audit(…) time stamp");
  }

  @Test
  void aGuestNoDomainXmlNamesHasANullNameAndItsUuidAsKey() throws Exception {
    Files.writeString(log, "type=AVC msg=audit(1764669601.1:1): "
        + LearnLogs.record(UNKNOWN, "open", "/srv/a", "r", false) + "\n");

    JsonNode guest = new ObjectMapper().readTree(learn("--log", log.toString(), "-o", "json").out())
        .get("guests").get(0);
    assertThat(guest.get("name").isNull()).isTrue();
    assertThat(learn("--log", log.toString(), "-o", "yaml").out())
        .contains("      " + UNKNOWN + ":\n        rules:\n          - \"/srv/a r,\"\n");
  }

  @Test
  void eventsOfTheSameGuestAndPathMergeIntoOneRule() throws Exception {
    Files.write(log, List.of(
        "type=AVC msg=audit(1764669601.1:1): " + LearnLogs.record(WEB01, "open", "/srv/a", "r", true),
        "type=AVC msg=audit(1764669601.1:2): " + LearnLogs.record(WEB01, "open", "/srv/a", "w", true),
        "type=AVC msg=audit(1764669601.1:3): " + LearnLogs.record(WEB01, "file_mmap", "/srv/a", "::m", false),
        "type=AVC msg=audit(1764669601.1:4): " + LearnLogs.record(DB01, "open", "/srv/a", "r", false),
        "type=AVC msg=audit(1764669601.1:5): "
            + LearnLogs.record(WEB01, "open", "/srv/b", "r", false).replace(WEB01, WEB01 + "//child")));

    assertThat(learn("--log", log.toString(), "-o", "yaml").out()).isEqualTo(
        "apparmor:\n  guests:\n    list:\n"
            + "      db01:  # " + DB01 + "\n        rules:\n          - \"/srv/a r,\"\n"
            + "      web01:  # " + WEB01 + "\n        rules:\n          - \"/srv/a mrw,\"\n"
            + "          - \"/srv/b r,\"\n");
  }

  @Test
  void guestAndSinceNarrowTheEvents() throws Exception {
    Files.write(log, List.of(
        "type=AVC msg=audit(1764669601.1:1): " + LearnLogs.record(WEB01, "open", "/srv/old", "r", false),
        "type=AVC msg=audit(1764900000.1:2): " + LearnLogs.record(WEB01, "open", "/srv/new", "r", false),
        "type=AVC msg=audit(1764900000.1:3): " + LearnLogs.record(DB01, "open", "/srv/db", "r", false)));

    CliRun r = learn("--log", log.toString(), "--guest", "web01", "--since", "2025-12-04T00:00:00Z",
        "-o", "json");

    assertThat(r.out()).contains("\"rules\":[\"/srv/new r,\"]").doesNotContain("/srv/old")
        .doesNotContain("/srv/db").contains("\"skipped\":2");
    assertThat(learn("--log", log.toString(), "--guest", "nosuch").exitCode()).isEqualTo(64);
    assertThat(learn("--log", log.toString(), "--guest", "web1").err())
        .contains("--guest web1: not a UUID").contains("did you mean 'web01'?");
    assertThat(learn("--log", log.toString(), "--since", "yesterday").exitCode()).isEqualTo(64);
  }

  @Test
  void guestNamesOfRunningTransientGuestsComeFromTheirStatusXml() throws Exception {
    Path status = root.resolve("run/libvirt/qemu/scratch.xml");
    Files.createDirectories(status.getParent());
    Files.writeString(status, "<domstatus state='running' reason='booted' pid='4242'>\n"
        + "  <domain type='kvm' id='7'>\n    <name>scratch</name>\n    <uuid>" + UNKNOWN
        + "</uuid>\n  </domain>\n</domstatus>\n");
    Files.write(log, List.of(
        "type=AVC msg=audit(1764669601.1:1): " + LearnLogs.record(WEB01, "open", "/srv/web", "r", false),
        "type=AVC msg=audit(1764669601.1:2): " + LearnLogs.record(UNKNOWN, "open", "/srv/t", "r", false),
        "type=AVC msg=audit(1764669601.1:3): " + LearnLogs.record(DB01, "open", "/srv/db", "r", false)));

    CliRun byName = learn("--log", log.toString(), "--guest", "scratch", "--guest", DB01, "-o", "json");

    assertThat(byName.exitCode()).as(byName.err()).isZero();
    JsonNode guests = new ObjectMapper().readTree(byName.out()).get("guests");
    assertThat(guests).hasSize(2);
    assertThat(guests.get(0).get("name").asText()).isEqualTo("db01");
    assertThat(guests.get(1).get("name").asText()).isEqualTo("scratch");
    assertThat(guests.get(1).get("uuid").asText()).isEqualTo(UNKNOWN);
    assertThat(guests.get(1).get("rules").get(0).asText()).isEqualTo("/srv/t r,");
    assertThat(byName.out()).doesNotContain("/srv/web");
  }

  @Test
  void gzipAndStandardInputAndTheDefaultLogAreRead() throws Exception {
    Path gz = temp.resolve("audit.log.1.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(log));
    }
    assertThat(learn("--log", gz.toString()).out()).contains("15 rules proposed");
    CliRun stdin = CliRun.run(Map.of(), Files.readString(log), "learn", "--root", root.toString(),
        "--log", "-");
    assertThat(stdin.out()).contains("15 rules proposed").contains("read <stdin>");
    Path kern = root.resolve("var/log/kern.log");
    Files.createDirectories(kern.getParent());
    Files.copy(log, kern);
    assertThat(learn().out()).contains("read " + kern);
  }

  @Test
  void aLogThatCannotBeReadIsInvalidInputNamingIt() {
    CliRun r = learn("--log", temp.resolve("missing.log").toString());

    assertThat(r.exitCode()).isEqualTo(65);
    assertThat(r.err()).startsWith("svirtctl: " + temp.resolve("missing.log") + ": cannot read the log");
  }

  @Test
  void declaredRulesAreNotProposedAgain() throws Exception {
    Path state = temp.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n"
        + "  template:\n    rules: [\"/srv/iso/[ad]*.iso r,\"]\n"
        + "  site_rules: [\"/srv/iso/journal* r,\", \"capability,\"]\n"
        + "  guests:\n    list:\n      web01:\n        rules:\n          - /srv/iso/[a-m]*.iso rw,\n"
        + "          - \"network netlink,\"\n          - /srv/vm-images/** rwk,\n");

    CliRun r = learn("--log", log.toString(), "-f", state.toString(), "--host", "hv01");

    List<String> expected = new ArrayList<>(LearnLogs.expectedRules());
    expected.removeAll(List.of("/srv/iso/auditd.iso r,", "/srv/iso/dmesg.iso r,",
        "/srv/iso/enriched.iso r,", "/srv/iso/journald.iso r,", "/srv/iso/journalk.iso r,",
        "/srv/iso/bare.iso r,", "/srv/iso/month.iso rw,", "/srv/vm-images/lock.img k,", "/srv/vm-images/trunc.img w,",
        "capability net_admin,", "network netlink raw,"));
    assertThat(r.out()).as(r.err()).contains(expected.size() + " rules proposed")
        .contains("(11 already allowed by the declared rules)");
    expected.forEach(rule -> assertThat(r.out()).contains("  + " + rule));
  }

  @Test
  void tunablesOfTheRootExpandInDeclaredRulesAndRefusedRulesAreListed() throws Exception {
    Path state = temp.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n"
        + "    list:\n      web01:\n        rules: [\"@{PROC}/@{pid}/task/*/comm r,\"]\n");
    String stamp = "type=AVC msg=audit(1764669601.1:1): ";
    Files.write(log, List.of(
        stamp + LearnLogs.record(WEB01, "open", "/proc/4242/task/4243/comm", "r", false),
        stamp + LearnLogs.record(WEB01, "open", "/proc/self/task/4243/comm", "r", false),
        stamp + "apparmor=\"DENIED\" operation=\"ptrace\" class=\"ptrace\" profile=\"libvirt-"
            + WEB01 + "\" pid=1 comm=\"q\" requested_mask=\"read\" denied_mask=\"read\""
            + " peer=\"x}y\""));

    CliRun r = learn("--log", log.toString(), "-f", state.toString(), "--host", "hv01");

    assertThat(r.out()).as(r.err())
        .contains("3 events, 1 rule proposed\n  + /proc/self/task/4243/comm r,\n"
            + "  (1 already allowed by the declared rules)\n")
        .contains("  ! not proposed: ptrace read peer=x}y, (")
        .doesNotContain("+ /proc/4242");
  }

  @Test
  void writeMergesIntoTheHostFileKeepingEveryOtherByte() throws Exception {
    Path state = temp.resolve("state.yaml");
    String before = "# site state\napiVersion: svirtctl/v1\nkind: Host\n\napparmor:\n"
        + "  guests:\n    default_mode: enforce   # all others\n    list:\n"
        + "      web01:\n        mode: complain\n        rules:\n          - '/srv/iso/bare.iso r,'\n"
        + "      'db01': {mode: enforce}\n# trailing comment\n";
    Files.writeString(state, before);
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r-----"));

    CliRun r = learn("--log", log.toString(), "-f", state.toString(), "--host", "hv01", "--write");

    assertThat(r.exitCode()).as(r.err()).isZero();
    String after = Files.readString(state);
    StringBuilder added = new StringBuilder();
    for (String rule : LearnLogs.expectedRules()) {
      if (!rule.equals("/srv/iso/bare.iso r,")) {
        added.append("          - ").append(new ObjectMapper().writeValueAsString(rule)).append('\n');
      }
    }
    assertThat(after).isEqualTo(before.replace("'/srv/iso/bare.iso r,'\n",
        "'/srv/iso/bare.iso r,'\n" + added));
    assertThat(Files.getPosixFilePermissions(state))
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    long mtime = Files.getLastModifiedTime(state).toMillis();

    CliRun again = learn("--log", log.toString(), "-f", state.toString(), "--host", "hv01", "--write");

    assertThat(again.out()).contains("0 rules proposed");
    assertThat(Files.readString(state)).isEqualTo(after);
    assertThat(Files.getLastModifiedTime(state).toMillis()).isEqualTo(mtime);
  }

  @Test
  void writeCreatesTheHostEntryOfAFleetFile() throws Exception {
    Path state = temp.resolve("fleet.yaml");
    String before = "apiVersion: svirtctl/v1\nkind: Fleet\ngroups:\n  - hosts: [\"hv*\"]\n"
        + "    qemu_conf:\n      security_driver: apparmor\nhosts:\n  hv02: {}\n";
    Files.writeString(state, before);
    Files.write(log, List.of("type=AVC msg=audit(1764669601.1:1): "
        + LearnLogs.record(WEB01, "open", "/srv/a", "r", false)));

    CliRun r = learn("--log", log.toString(), "-f", state.toString(), "--host", "hv01", "--write");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Files.readString(state)).isEqualTo(before
        + "  hv01:\n    apparmor:\n      guests:\n        list:\n          web01:\n"
        + "            rules:\n              - \"/srv/a r,\"\n");
    assertThat(new String(Files.readAllBytes(state), StandardCharsets.UTF_8)).startsWith(before);
  }

  @Test
  void writeAddsRulesToAFlowMappingGuest() throws Exception {
    Path state = temp.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n"
        + "    list:\n      web01: {mode: complain}  # learning\n");
    Files.write(log, List.of("type=AVC msg=audit(1764669601.1:1): "
        + LearnLogs.record(WEB01, "open", "/srv/a", "r", false)));

    assertThat(learn("--log", log.toString(), "-f", state.toString(), "--write").exitCode()).isZero();

    assertThat(Files.readString(state)).endsWith(
        "      web01: {mode: complain, rules: [\"/srv/a r,\"]}  # learning\n");
  }
}
