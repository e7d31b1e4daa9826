package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class MainTest {

  @Test
  void versionPrintsTheToolName() {
    CliRun r = CliRun.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("svirtctl ");
  }

  @Test
  void helpListsEveryExitCode() {
    CliRun r = CliRun.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("Exit codes:")
        .containsPattern("(?m)^\\s+0\\s+success")
        .containsPattern("(?m)^\\s+1\\s+the run failed")
        .containsPattern("(?m)^\\s+2\\s+changes present")
        .containsPattern("(?m)^\\s+64\\s+usage error")
        .containsPattern("(?m)^\\s+65\\s+invalid input");
  }

  @Test
  void unknownOptionIsAUsageErrorOnOneLinePlusHint() {
    CliRun r = CliRun.run("--no-such-option");
    assertThat(r.exitCode()).isEqualTo(64);
    assertThat(r.err().lines()).hasSize(2);
    assertThat(r.err()).startsWith("svirtctl: Unknown option: '--no-such-option'");
    assertThat(r.err()).doesNotContain("at io.svirtctl");
  }

  @Test
  void unknownCommandIsAUsageError() {
    CliRun r = CliRun.run("frobnicate");
    assertThat(r.exitCode()).isEqualTo(64);
    assertThat(r.err()).startsWith("svirtctl: ");
  }

  @Test
  void everySubcommandIsRegisteredUnderItsOwnName() {
    for (Map.Entry<String, Class<?>> sub : SvirtctlCommand.SUBCOMMANDS) {
      assertThat(sub.getValue().getAnnotation(Command.class).name()).isEqualTo(sub.getKey());
      CliRun r = CliRun.run(sub.getKey(), "--help");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).contains("Usage: svirtctl " + sub.getKey());
    }
    assertThat(CliRun.run("--help").out())
        .contains(SvirtctlCommand.SUBCOMMANDS.stream().map(Map.Entry::getKey).toList());
  }

  @Test
  void globalOptionsStillReachTheSubcommandWhenOnlyItIsBuilt() {
    CliRun r = CliRun.run("--debug", "validate", "-f", "/nonexistent/state.yaml");
    assertThat(r.exitCode()).isEqualTo(65);
    assertThat(r.err()).contains("/nonexistent/state.yaml");
  }
}
