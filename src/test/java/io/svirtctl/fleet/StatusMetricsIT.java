package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status -o prometheus} passes Prometheus' own checker, {@code promtool check metrics}:
 * every golden metrics file, and the packaged jar's output on a copy of the demo host.
 */
class StatusMetricsIT {

  @TempDir Path temp;

  @Test
  void goldenMetricsPassPromtool() throws Exception {
    Path promtool = ExternalTool.require("promtool", "prometheus");
    List<Path> files;
    try (Stream<Path> s = Files.walk(ExternalTool.basedir().resolve("src/test/resources/status"))) {
      files = s.filter(p -> p.getFileName().toString().equals("status.prom")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    for (Path f : files) {
      ExternalTool.Run run = check(promtool, f);
      assertThat(run.code()).as(f + "\n" + run.both()).isZero();
    }
  }

  @Test
  void packagedJarOutputPassesPromtool() throws Exception {
    Path promtool = ExternalTool.require("promtool", "prometheus");
    Path root = TestHosts.copyDemo(temp);
    ExternalTool.Run status =
        ExternalTool.run(
            List.of(ExternalTool.java(), "-jar", ExternalTool.svirtctlJar().toString(),
                "status", "--root", root.toString(), "-o", "prometheus"),
            temp, Map.of(), Optional.empty());
    assertThat(status.code()).as(status.both()).isZero();
    Path metrics = temp.resolve("svirtctl.prom");
    Files.writeString(metrics, status.out());
    ExternalTool.Run run = check(promtool, metrics);
    assertThat(run.code()).as(run.both()).isZero();
    assertThat(status.out()).contains("svirtctl_guest_info{").contains("svirtctl_confined ");
  }

  @Test
  void promtoolRejectsAnUnescapedLabel() throws Exception {
    // The check above can fail: the same tool refuses a quote left unescaped in a label value.
    Path promtool = ExternalTool.require("promtool", "prometheus");
    Path bad = temp.resolve("bad.prom");
    Files.writeString(bad, "# HELP m M.\n# TYPE m gauge\nm{name=\"we\"b\"} 1\n");
    assertThat(check(promtool, bad).code()).isNotZero();
  }

  private ExternalTool.Run check(Path promtool, Path file) throws Exception {
    return ExternalTool.run(
        List.of(promtool.toString(), "check", "metrics"), temp, Map.of(), Optional.of(file));
  }
}
