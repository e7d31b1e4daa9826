package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitOps pull agent ({@code playbook-examples/gitops/svirtctl-gitops}) against a local bare
 * git repository holding the lab's fleet file, on a copy of the demo host, with the packaged jar.
 * Every metrics file it leaves is checked with {@code promtool check metrics}, alone and as
 * node_exporter's textfile collector merges them.
 */
class GitOpsAgentIT {

  private static final String WEB01 =
      "etc/apparmor.d/libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  /** The agent's samples; svirtctl_revision_info is recorded with its commit as the value. */
  private static final Pattern SAMPLE =
      Pattern.compile(
          "^(svirtctl_[a-z_]+)\\{mode=\"([a-z]+)\"(?:,commit=\"([0-9a-f]{40})\")?\\} (\\S+)$",
          Pattern.MULTILINE);

  @TempDir Path dir;
  private FleetRepository fleet;
  private Path root;
  private Path metrics;

  @BeforeEach
  void fleetRepository() throws IOException, InterruptedException {
    fleet = FleetRepository.create(dir);
    root = TestHosts.copyDemo(dir);
    metrics = dir.resolve("textfile");
  }

  private ExternalTool.Run agent(String mode, String repoUrl, Map<String, String> extra)
      throws IOException, InterruptedException {
    Path script = ExternalTool.basedir().resolve("playbook-examples/gitops/svirtctl-gitops");
    Map<String, String> env = new TreeMap<>();
    env.put("HOME", dir.toString());
    env.put("SVIRTCTL", ExternalTool.java() + " -jar " + ExternalTool.svirtctlJar());
    env.put("SVIRTCTL_GITOPS_REPO", repoUrl);
    env.put("SVIRTCTL_GITOPS_DIR", dir.resolve("checkout").toString());
    env.put("SVIRTCTL_GITOPS_HOST", "hv01.lab.example");
    env.put("SVIRTCTL_GITOPS_MODE", mode);
    env.put("SVIRTCTL_GITOPS_METRICS_DIR", metrics.toString());
    env.put("SVIRTCTL_GITOPS_ROOT", root.toString());
    env.put("SVIRTCTL_GITOPS_ARGS", "--no-reload");
    env.putAll(extra);
    return ExternalTool.run(List.of("/bin/sh", script.toString()), dir, env, Optional.empty());
  }

  private ExternalTool.Run agent(String mode, String repoUrl) throws IOException, InterruptedException {
    return agent(mode, repoUrl, Map.of());
  }

  /**
   * The agent's samples by metric name, after promtool accepted each file the agent left and
   * their concatenation (node_exporter serves them as one page).
   */
  private Map<String, String> metrics() throws IOException, InterruptedException {
    List<String> names;
    try (Stream<Path> files = Files.list(metrics)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    // Written to temp files and renamed: nothing else is left in the directory.
    assertThat(names).contains("svirtctl.prom");
    assertThat(Set.of("svirtctl.prom", "svirtctl-status.prom")).containsAll(names);
    StringBuilder page = new StringBuilder();
    for (String name : names) {
      promtool(metrics.resolve(name));
      page.append(Files.readString(metrics.resolve(name)));
    }
    Path merged = dir.resolve("merged.prom");
    Files.writeString(merged, page);
    promtool(merged);

    Map<String, String> values = new TreeMap<>();
    String text = Files.readString(metrics.resolve("svirtctl.prom"));
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      assertThat(m.group(2)).as(text).isIn("apply", "check", "invalid");
      values.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
    }
    return values;
  }

  private void promtool(Path file) throws IOException, InterruptedException {
    Path promtool = ExternalTool.require("promtool", "prometheus");
    ExternalTool.Run run = ExternalTool.run(
        List.of(promtool.toString(), "check", "metrics"), dir, Map.of(), Optional.of(file));
    assertThat(run.code()).as(file + "\n" + Files.readString(file) + run.both()).isZero();
  }

  @Test
  void metricsShowDriftAfterAHandEditAndApplyCorrectsIt() throws IOException, InterruptedException {
    long start = Instant.now().getEpochSecond();
    String head = fleet.head();
    ExternalTool.Run first = agent("apply", fleet.url());
    assertThat(first.code()).as(first.both()).isZero();
    Map<String, String> m = metrics();
    assertThat(m)
        .containsEntry("svirtctl_drift", "1")
        .containsEntry("svirtctl_last_run_success", "1")
        .containsEntry("svirtctl_revision_info", head)
        .doesNotContainKey("svirtctl_gitops_verify_failed");
    assertThat(Integer.parseInt(m.get("svirtctl_changes"))).isPositive();
    assertThat(Long.parseLong(m.get("svirtctl_gitops_last_run_timestamp_seconds")))
        .isGreaterThanOrEqualTo(start);
    assertThat(Long.parseLong(m.get("svirtctl_last_success_timestamp_seconds")))
        .isGreaterThanOrEqualTo(start);
    // The host's status beside it: the fleet file declares web01, now in sync.
    assertThat(Files.readString(metrics.resolve("svirtctl-status.prom")))
        .contains("svirtctl_confined ")
        .contains("svirtctl_guests_out_of_sync 0")
        .contains("name=\"web01\"");

    assertThat(agent("apply", fleet.url()).code()).isZero();
    assertThat(metrics()).containsEntry("svirtctl_drift", "0").containsEntry("svirtctl_changes", "0");

    // Someone switches web01 to complain mode by hand.
    Path profile = root.resolve(WEB01);
    String applied = Files.readString(profile);
    Files.writeString(profile, applied.replace("flags=(attach_disconnected)",
        "flags=(attach_disconnected, complain)"));

    ExternalTool.Run check = agent("check", fleet.url());
    assertThat(check.code()).as(check.both()).isZero();
    assertThat(metrics())
        .containsEntry("svirtctl_drift", "1")
        .containsEntry("svirtctl_changes", "1")
        .containsEntry("svirtctl_last_run_success", "1");
    assertThat(Files.readString(profile)).contains("complain");
    assertThat(Files.readString(metrics.resolve("svirtctl-status.prom")))
        .contains("svirtctl_guests_out_of_sync 1");

    ExternalTool.Run fix = agent("apply", fleet.url());
    assertThat(fix.code()).as(fix.both()).isZero();
    assertThat(metrics()).containsEntry("svirtctl_drift", "1").containsEntry("svirtctl_changes", "1");
    assertThat(Files.readString(profile)).isEqualTo(applied);
  }

  @Test
  void aFailedPullBeforeAnySuccessReportsFailureAndNoDrift() throws IOException, InterruptedException {
    ExternalTool.Run run = agent("apply", dir.resolve("no-such-repo.git").toString());

    assertThat(run.code()).isNotZero();
    assertThat(run.err()).contains("svirtctl-gitops: cannot fetch main from");
    assertThat(metrics())
        .containsEntry("svirtctl_last_run_success", "0")
        .containsKey("svirtctl_gitops_last_run_timestamp_seconds")
        .doesNotContainKeys("svirtctl_drift", "svirtctl_changes",
            "svirtctl_last_success_timestamp_seconds", "svirtctl_revision_info");
  }

  @Test
  void aFailedRunKeepsTheLastKnownDriftSuccessAndRevision() throws IOException, InterruptedException {
    String head = fleet.head();
    ExternalTool.Run check = agent("check", fleet.url());
    assertThat(check.code()).as(check.both()).isZero();
    Map<String, String> good = metrics();
    assertThat(good).containsEntry("svirtctl_drift", "1").containsEntry("svirtctl_revision_info", head);

    // The repository breaks: the state file is deleted upstream.
    Files.delete(fleet.work().resolve("fleet.yaml"));
    fleet.commit(Optional.empty(), "oops");
    ExternalTool.Run broken = agent("check", fleet.url());

    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("fleet.yaml is not in");
    Map<String, String> after = metrics();
    assertThat(after)
        .containsEntry("svirtctl_last_run_success", "0")
        .containsEntry("svirtctl_drift", good.get("svirtctl_drift"))
        .containsEntry("svirtctl_changes", good.get("svirtctl_changes"))
        .containsEntry("svirtctl_last_success_timestamp_seconds",
            good.get("svirtctl_last_success_timestamp_seconds"))
        .containsEntry("svirtctl_revision_info", head);
    assertThat(Long.parseLong(after.get("svirtctl_gitops_last_run_timestamp_seconds")))
        .isGreaterThanOrEqualTo(Long.parseLong(good.get("svirtctl_gitops_last_run_timestamp_seconds")));
  }

  @Test
  void aModeOutsideTheAllowedSetIsRefusedAndNeverBecomesALabel()
      throws IOException, InterruptedException {
    String before = Files.readString(root.resolve(WEB01));
    ExternalTool.Run run = agent("apply\"} 1\nevil{a=\"", fleet.url());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("SVIRTCTL_GITOPS_MODE must be apply or check");
    assertThat(metrics()).containsEntry("svirtctl_last_run_success", "0");
    assertThat(Files.readString(metrics.resolve("svirtctl.prom")))
        .contains("svirtctl_last_run_success{mode=\"invalid\"} 0")
        .doesNotContain("evil");
    assertThat(Files.readString(root.resolve(WEB01))).isEqualTo(before);
  }

  @Test
  void withVerifyOnlyACommitSignedByAKeyOfTheKeyringIsApplied()
      throws IOException, InterruptedException {
    try (GnuPg gnupg = GnuPg.throwaway(dir.resolve("gnupg"))) {
      GnuPg.Key signer = gnupg.generate("signer@fleet.example");
      GnuPg.Key stranger = gnupg.generate("stranger@fleet.example");
      Path keyring = gnupg.export(signer, dir.resolve("fleet-keys.asc"));
      Map<String, String> verify =
          Map.of("SVIRTCTL_GITOPS_VERIFY", "yes", "SVIRTCTL_GITOPS_KEYRING", keyring.toString());
      Path profile = root.resolve(WEB01);
      String demo = Files.readString(profile);

      // The repository's only commit is unsigned: nothing is applied.
      ExternalTool.Run unsigned = agent("apply", fleet.url(), verify);
      assertThat(unsigned.code()).as(unsigned.both()).isEqualTo(1);
      assertThat(unsigned.err()).contains("no good signature by a key in " + keyring);
      assertThat(metrics())
          .containsEntry("svirtctl_gitops_verify_failed", "1")
          .containsEntry("svirtctl_last_run_success", "0")
          .doesNotContainKeys("svirtctl_drift", "svirtctl_revision_info");
      assertThat(Files.readString(profile)).isEqualTo(demo);
      assertThat(root.resolve("var/lib/svirtctl")).doesNotExist();

      // Signed by the keyring's key: applied.
      String signed = fleet.commit(Optional.of(signer), "signed");
      ExternalTool.Run good = agent("apply", fleet.url(), verify);
      assertThat(good.code()).as(good.both()).isZero();
      assertThat(metrics())
          .containsEntry("svirtctl_gitops_verify_failed", "0")
          .containsEntry("svirtctl_last_run_success", "1")
          .containsEntry("svirtctl_drift", "1")
          .containsEntry("svirtctl_revision_info", signed);
      String applied = Files.readString(profile);
      assertThat(applied).isNotEqualTo(demo).doesNotContain("complain");

      // web01 to complain mode: unsigned, then signed by a key outside the keyring. Neither is
      // applied; the metrics keep the applied revision and its drift.
      Path file = fleet.work().resolve("fleet.yaml");
      Files.writeString(file, Files.readString(file)
          .replace("web01: {mode: enforce", "web01: {mode: complain"));
      fleet.commit(Optional.empty(), "web01 to complain, unsigned");
      ExternalTool.Run plain = agent("apply", fleet.url(), verify);
      assertThat(plain.code()).as(plain.both()).isEqualTo(1);
      assertThat(Files.readString(profile)).isEqualTo(applied);

      fleet.commit(Optional.of(stranger), "web01 to complain, signed by a stranger");
      ExternalTool.Run foreign = agent("apply", fleet.url(), verify);
      assertThat(foreign.code()).as(foreign.both()).isEqualTo(1);
      assertThat(foreign.err()).contains("no good signature");
      assertThat(Files.readString(profile)).isEqualTo(applied);
      assertThat(metrics())
          .containsEntry("svirtctl_gitops_verify_failed", "1")
          .containsEntry("svirtctl_last_run_success", "0")
          .containsEntry("svirtctl_drift", "1")
          .containsEntry("svirtctl_revision_info", signed);
      assertThat(fleet.git("-C", dir.resolve("checkout").toString(), "rev-parse", "HEAD"))
          .isEqualTo(signed);

      // The same change signed by the keyring's key: applied.
      String complain = fleet.commit(Optional.of(signer), "web01 to complain, signed");
      ExternalTool.Run accepted = agent("apply", fleet.url(), verify);
      assertThat(accepted.code()).as(accepted.both()).isZero();
      assertThat(Files.readString(profile)).contains("complain");
      assertThat(metrics())
          .containsEntry("svirtctl_gitops_verify_failed", "0")
          .containsEntry("svirtctl_revision_info", complain);
    }
  }

  @Test
  void deployAgentPlaybookIsIdempotentAndItsSettingsDriveTheAgent()
      throws IOException, InterruptedException {
    try (GnuPg gnupg = GnuPg.throwaway(dir.resolve("gnupg"))) {
      GnuPg.Key signer = gnupg.generate("signer@fleet.example");
      Path keyring = gnupg.export(signer, dir.resolve("fleet-keys.asc"));
      String signed = fleet.commit(Optional.of(signer), "signed");
      Path collections = Playbooks.installCollection(dir);
      Path inventory = dir.resolve("inventory.ini");
      Files.writeString(inventory, "[hypervisors]\nhv01.lab.example svirtctl_root=" + root + "\n\n"
          + "[hypervisors:vars]\nansible_connection=local\n"
          + "ansible_python_interpreter=/usr/bin/python3\n"
          // svirtctl is the packaged jar: the role installs no package here.
          + "svirtctl_install=false\n");
      String[] vars = {"-e", "svirtctl_gitops_repo=" + fleet.url(), "-e", "svirtctl_gitops_verify=true",
          "-e", "svirtctl_gitops_keyring_src=" + keyring};

      ExternalTool.Run first =
          Playbooks.runExample(dir, collections, inventory, "gitops/deploy-agent.yml", vars);
      assertThat(first.code()).as(first.both()).isZero();
      assertThat(Playbooks.recap(first).get("hv01.lab.example").changed()).as(first.both()).isPositive();
      ExternalTool.Run second =
          Playbooks.runExample(dir, collections, inventory, "gitops/deploy-agent.yml", vars);
      assertThat(second.code()).as(second.both()).isZero();
      Playbooks.Recap again = Playbooks.recap(second).get("hv01.lab.example");
      assertThat(again).as(second.both()).isNotNull();
      assertThat(again.changed()).as(second.both()).isZero();
      assertThat(again.failed()).as(second.both()).isZero();

      // Every setting the role writes is one the agent reads.
      Path settings = root.resolve("etc/default/svirtctl-gitops");
      Path script = ExternalTool.basedir().resolve("playbook-examples/gitops/svirtctl-gitops");
      Set<String> written = names(Pattern.compile("^(SVIRTCTL_GITOPS_[A-Z_]+)=", Pattern.MULTILINE),
          Files.readString(settings));
      Set<String> read = names(Pattern.compile("\\$\\{(SVIRTCTL_GITOPS_[A-Z_]+)"),
          Files.readString(script));
      assertThat(written).contains("SVIRTCTL_GITOPS_REPO", "SVIRTCTL_GITOPS_VERIFY",
          "SVIRTCTL_GITOPS_KEYRING", "SVIRTCTL_GITOPS_ROOT");
      assertThat(read).containsAll(written);
      Path placedKeys = root.resolve("etc/svirtctl/gitops-keyring.gpg");
      assertThat(placedKeys).hasSameTextualContentAs(keyring);

      // The agent with those settings, read as the unit reads them; only the paths outside the
      // scratch root (checkout, metrics, keyring) are pointed into the test directory.
      Map<String, String> env = new TreeMap<>();
      env.put("HOME", dir.toString());
      env.put("SVIRTCTL", ExternalTool.java() + " -jar " + ExternalTool.svirtctlJar());
      ExternalTool.Run run = ExternalTool.run(List.of("/bin/sh", "-c",
          "set -a && . \"$0\" && SVIRTCTL_GITOPS_DIR=$1 SVIRTCTL_GITOPS_METRICS_DIR=$2 "
              + "SVIRTCTL_GITOPS_KEYRING=$3 SVIRTCTL_GITOPS_ARGS=--no-reload && exec /bin/sh \"$4\"",
          settings.toString(), dir.resolve("checkout").toString(), metrics.toString(),
          placedKeys.toString(), script.toString()), dir, env, Optional.empty());
      assertThat(run.code()).as(run.both()).isZero();
      assertThat(metrics())
          .containsEntry("svirtctl_gitops_verify_failed", "0")
          .containsEntry("svirtctl_drift", "1")
          .containsEntry("svirtctl_revision_info", signed);
      assertThat(root.resolve("etc/libvirt/hooks/qemu.d/svirtctl")).isExecutable();
    }
  }

  private static Set<String> names(Pattern p, String text) {
    Set<String> found = new java.util.TreeSet<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
