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
 */
class GitOpsAgentIT {

  private static final String WEB01 =
      "etc/apparmor.d/libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  private static final Pattern SAMPLE =
      Pattern.compile("^(svirtctl_[a-z_]+)\\{mode=\"(apply|check)\"\\} (\\S+)$", Pattern.MULTILINE);

  @TempDir Path dir;
  private Path git;
  private Path repo;
  private Path root;
  private Path metrics;

  @BeforeEach
  void fleetRepository() throws IOException, InterruptedException {
    git = ExternalTool.require("git", "git");
    repo = dir.resolve("fleet.git");
    Path work = dir.resolve("work");
    git("init", "--quiet", "--bare", "-b", "main", repo.toString());
    git("init", "--quiet", "-b", "main", work.toString());
    Files.copy(
        ExternalTool.basedir().resolve("playbook-examples/fleet/fleet.yaml"),
        work.resolve("fleet.yaml"));
    git("-C", work.toString(), "add", "fleet.yaml");
    git("-C", work.toString(), "-c", "user.name=svirtctl test", "-c", "user.email=test@localhost",
        "commit", "--quiet", "-m", "lab fleet");
    git("-C", work.toString(), "push", "--quiet", repo.toString(), "main");
    root = TestHosts.copyDemo(dir);
    metrics = dir.resolve("textfile");
  }

  private void git(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(git.toString()));
    cmd.addAll(List.of(args));
    ExternalTool.Run r = ExternalTool.run(cmd, dir, Map.of("HOME", dir.toString()), Optional.empty());
    assertThat(r.code()).as(r.both()).isZero();
  }

  private ExternalTool.Run agent(String mode, String repoUrl) throws IOException, InterruptedException {
    Path script = ExternalTool.basedir().resolve("playbook-examples/gitops/svirtctl-gitops");
    Map<String, String> env = new TreeMap<>();
    env.put("HOME", dir.toString());
    env.put("SVIRTCTL_GITOPS_REPO", repoUrl);
    env.put("SVIRTCTL_GITOPS_DIR", dir.resolve("checkout").toString());
    env.put("SVIRTCTL_GITOPS_HOST", "hv01.lab.example");
    env.put("SVIRTCTL_GITOPS_MODE", mode);
    env.put("SVIRTCTL_GITOPS_METRICS_DIR", metrics.toString());
    env.put("SVIRTCTL_GITOPS_ARGS", "--root " + root + " --no-reload");
    env.put("SVIRTCTL", ExternalTool.java() + " -jar " + ExternalTool.svirtctlJar());
    return ExternalTool.run(List.of("/bin/sh", script.toString()), dir, env, Optional.empty());
  }

  private Map<String, String> metrics() throws IOException {
    try (Stream<Path> files = Files.list(metrics)) {
      // Written to a temp file and renamed: nothing else is left in the directory.
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly("svirtctl.prom");
    }
    Map<String, String> values = new TreeMap<>();
    Matcher m = SAMPLE.matcher(Files.readString(metrics.resolve("svirtctl.prom")));
    while (m.find()) {
      values.put(m.group(1), m.group(3));
    }
    return values;
  }

  @Test
  void metricsShowDriftAfterAHandEditAndApplyCorrectsIt() throws IOException, InterruptedException {
    long start = Instant.now().getEpochSecond();
    ExternalTool.Run first = agent("apply", repo.toString());
    assertThat(first.code()).as(first.both()).isZero();
    Map<String, String> m = metrics();
    assertThat(m).containsEntry("svirtctl_drift", "1").containsEntry("svirtctl_last_run_success", "1");
    assertThat(Integer.parseInt(m.get("svirtctl_changes"))).isPositive();
    assertThat(Long.parseLong(m.get("svirtctl_last_run_timestamp_seconds"))).isGreaterThanOrEqualTo(start);

    assertThat(agent("apply", repo.toString()).code()).isZero();
    assertThat(metrics()).containsEntry("svirtctl_drift", "0").containsEntry("svirtctl_changes", "0");

    // Someone switches web01 to complain mode by hand.
    Path profile = root.resolve(WEB01);
    String applied = Files.readString(profile);
    Files.writeString(profile, applied.replace("flags=(attach_disconnected)",
        "flags=(attach_disconnected, complain)"));

    ExternalTool.Run check = agent("check", repo.toString());
    assertThat(check.code()).as(check.both()).isZero();
    assertThat(metrics())
        .containsEntry("svirtctl_drift", "1")
        .containsEntry("svirtctl_changes", "1")
        .containsEntry("svirtctl_last_run_success", "1");
    assertThat(Files.readString(profile)).contains("complain");

    ExternalTool.Run fix = agent("apply", repo.toString());
    assertThat(fix.code()).as(fix.both()).isZero();
    assertThat(metrics()).containsEntry("svirtctl_drift", "1").containsEntry("svirtctl_changes", "1");
    assertThat(Files.readString(profile)).isEqualTo(applied);
  }

  @Test
  void aFailedPullReportsFailureAndNoDrift() throws IOException, InterruptedException {
    ExternalTool.Run run = agent("apply", dir.resolve("no-such-repo.git").toString());

    assertThat(run.code()).isNotZero();
    assertThat(run.err()).contains("svirtctl-gitops: cannot clone");
    assertThat(metrics())
        .containsEntry("svirtctl_last_run_success", "0")
        .doesNotContainKey("svirtctl_drift")
        .containsKey("svirtctl_last_run_timestamp_seconds");
  }
}
