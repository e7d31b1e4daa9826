package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's systemd units as systemd itself judges them: hardened, and valid. */
class GitOpsUnitIT {

  private static final Pattern EXPOSURE =
      Pattern.compile("Overall exposure level for svirtctl-gitops\\.service: (\\d+\\.\\d+)");

  @TempDir Path dir;

  private static Path gitops() {
    return ExternalTool.basedir().resolve("playbook-examples/gitops");
  }

  @Test
  void serviceScoresAtMostFourInSystemdAnalyzeSecurity() throws IOException, InterruptedException {
    Path analyze = ExternalTool.require("systemd-analyze", "systemd");
    Files.copy(gitops().resolve("svirtctl-gitops.service"), dir.resolve("svirtctl-gitops.service"));

    ExternalTool.Run run = ExternalTool.run(
        List.of(analyze.toString(), "security", "--offline=true", "--no-pager",
            "svirtctl-gitops.service"),
        dir, Map.of("SYSTEMD_COLORS", "0"), Optional.empty());

    Matcher m = EXPOSURE.matcher(run.out());
    assertThat(m.find()).as(run.both()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).as(run.out()).isLessThanOrEqualTo(4.0);
  }

  @Test
  void unitsPassSystemdAnalyzeVerifyInAScratchRoot() throws IOException, InterruptedException {
    Path analyze = ExternalTool.require("systemd-analyze", "systemd");
    // A root with the packaged layout: the units, the agent, and the system's targets and slices.
    Path units = Files.createDirectories(dir.resolve("lib/systemd/system"));
    try (Stream<Path> s = Files.list(Path.of("/lib/systemd/system"))) {
      for (Path p : s.filter(p -> p.toString().matches(".*\\.(target|slice)$")).toList()) {
        Files.copy(p, units.resolve(p.getFileName()));
      }
    }
    for (String unit : List.of("svirtctl-gitops.service", "svirtctl-gitops.timer")) {
      Files.copy(gitops().resolve(unit), units.resolve(unit));
    }
    Path agent = Files.createDirectories(dir.resolve("usr/libexec/svirtctl")).resolve("svirtctl-gitops");
    Files.copy(gitops().resolve("svirtctl-gitops"), agent);
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));

    ExternalTool.Run run = ExternalTool.run(
        List.of(analyze.toString(), "verify", "--man=no", "--root=" + dir,
            "svirtctl-gitops.service", "svirtctl-gitops.timer"),
        dir, Map.of("SYSTEMD_COLORS", "0"), Optional.empty());

    assertThat(run.code()).as(run.both()).isZero();
    assertThat(run.out() + run.err()).as(run.both()).isBlank();
  }
}
