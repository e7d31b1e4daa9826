package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

class MainTest {

  @Test
  void versionPrintsTheToolName() {
    CliRun r = CliRun.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("svirtctl ");
  }

  @Test
  void versionAlonePrintsWhatTheWholeTreePrints() {
    StringWriter whole = new StringWriter();
    CliContext context = new CliContext(InputStream.nullInputStream(), new PrintWriter(whole),
        new PrintWriter(Writer.nullWriter()), Map.of());
    int code = Main.commandLine(context).execute("--version");

    for (String flag : List.of("--version", "-V")) {
      CliRun r = CliRun.run(flag);
      assertThat(r.exitCode()).isEqualTo(code).isZero();
      assertThat(r.out()).isEqualTo(whole.toString());
      assertThat(r.err()).isEmpty();
    }
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

  @Test
  void everyCommandSummaryInHelpIsAWholeSentence() {
    String help = CliRun.run("--help").out();
    List<String> entries = new ArrayList<>();
    boolean inCommands = false;
    for (String line : help.lines().toList()) {
      if (line.equals("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.isBlank()) {
        break;
      } else if (inCommands && line.matches("  \\S.*")) {
        entries.add(line.strip());
      } else if (inCommands) {
        int last = entries.size() - 1;
        entries.set(last, entries.get(last) + " " + line.strip());
      }
    }
    assertThat(entries).hasSize(SvirtctlCommand.SUBCOMMANDS.size());
    assertThat(entries).allSatisfy(e -> assertThat(e).endsWith("."));
    assertThat(help).contains("template, per-guest profiles");
  }

  @Test
  void aRootThatIsNotADirectoryIsAUsageErrorNamingIt(@TempDir Path temp) throws Exception {
    Path file = Files.writeString(temp.resolve("plain"), "x");
    for (Path root : List.of(temp.resolve("missing"), file)) {
      for (String command : List.of("status", "export", "doctor", "history")) {
        CliRun r = CliRun.run(command, "--root", root.toString());
        assertThat(r.exitCode()).as(command + " " + r.err()).isEqualTo(64);
        assertThat(r.err().lines().findFirst().orElseThrow())
            .isEqualTo("svirtctl: --root " + root + ": "
                + (root.equals(file) ? "is not a directory" : "does not exist"));
        assertThat(r.out()).isEmpty();
      }
    }
  }
}
