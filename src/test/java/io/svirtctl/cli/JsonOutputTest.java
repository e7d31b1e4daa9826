package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o json} on every command that reports: one object on standard output, also when the
 * run fails ({@code failed}, {@code rc}, {@code msg}), while standard error keeps the one-line
 * error (DESIGN.md section 3).
 */
class JsonOutputTest {

  private static final Map<String, String> NO_PARSER =
      Map.of("SVIRTCTL_APPARMOR_PARSER", "/nonexistent/apparmor_parser");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private Path root;
  private String state;

  @BeforeEach
  void demo() throws IOException {
    root = temp.resolve("root");
    Trees.copy(Trees.DEMO, root);
    state = Path.of("playbook-examples/demo/state.yaml").toString();
  }

  private CliRun run(String... args) {
    return CliRun.run(NO_PARSER, "", args);
  }

  /** The one JSON object standard output must be. */
  private static JsonNode object(CliRun run) throws IOException {
    assertThat(run.out().lines()).as(run.out() + run.err()).hasSize(1);
    JsonNode doc = JSON.readTree(run.out());
    assertThat(doc.isObject()).isTrue();
    assertThat(doc.get("format_version").asInt()).isEqualTo(1);
    return doc;
  }

  @Test
  void everyReportingCommandPrintsOneObject() throws IOException {
    String r = root.toString();
    List<String[]> commands = new ArrayList<>(List.of(
        new String[] {"plan", "-f", state, "--host", "hv", "--root", r},
        new String[] {"validate", "-f", state, "--host", "hv"},
        new String[] {"export", "--host", "hv", "--root", r},
        new String[] {"doctor", "--root", r},
        new String[] {"status", "--root", r},
        new String[] {"apply", "-f", state, "--host", "hv", "--root", r, "--no-reload"},
        new String[] {"history", "--root", r},
        new String[] {"profile-mode", "complain", "web01", "--root", r, "--no-reload"},
        new String[] {"rollback", "--root", r, "--no-reload"}));
    for (String[] c : commands) {
      List<String> args = new ArrayList<>(List.of(c));
      args.addAll(List.of("-o", "json"));
      CliRun run = run(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isIn(0, 1);
      JsonNode doc = object(run);
      assertThat(doc.has("failed")).as(c[0]).isFalse();
    }
  }

  @Test
  void historyAndRollbackReportTheRunsTheyNameAndExportTheHost() throws IOException {
    String r = root.toString();
    assertThat(run("apply", "-f", state, "--host", "hv", "--root", r, "--no-reload").exitCode())
        .isZero();
    JsonNode history = object(run("history", "--root", r, "-o", "json"));
    assertThat(history.get("runs")).hasSize(1);
    String id = history.get("runs").get(0).get("id").asText();
    assertThat(history.get("runs").get(0).get("files").size()).isPositive();

    JsonNode rollback = object(run("rollback", id, "--root", r, "--no-reload", "-o", "json"));
    assertThat(rollback.get("rolled_back").asText()).isEqualTo(id);
    assertThat(rollback.get("changed").asBoolean()).isTrue();
    assertThat(rollback.get("restored").size() + rollback.get("deleted").size())
        .isEqualTo(history.get("runs").get(0).get("files").size());

    JsonNode export = object(run("export", "--host", "hv42", "--root", r, "-o", "json"));
    assertThat(export.get("host").asText()).isEqualTo("hv42");
    assertThat(export.get("state").get("kind").asText()).isEqualTo("Host");
    assertThat(run("export", "--host", "hv42", "--root", r).out())
        .startsWith("# svirtctl export of host hv42\napiVersion: svirtctl/v1\n");
  }

  @Test
  void aFailingRunStillPrintsOneObjectWithFailedRcAndTheErrorLine() throws IOException {
    Path bad = Files.writeString(temp.resolve("bad.yaml"), "apiVersion: svirtctl/v1\nkind: Host\nqemu_conf: {nope: 1}\n");
    for (String command : List.of("plan", "apply", "validate")) {
      CliRun run = run(command, "-f", bad.toString(), "--host", "hv", "--root", root.toString(), "-o", "json");
      if (command.equals("validate")) {
        run = run(command, "-f", bad.toString(), "--host", "hv", "-o", "json");
      }
      assertThat(run.exitCode()).isEqualTo(65);
      JsonNode doc = object(run);
      assertThat(doc.get("failed").asBoolean()).isTrue();
      assertThat(doc.get("changed").asBoolean()).isFalse();
      assertThat(doc.get("rc").asInt()).isEqualTo(65);
      assertThat(doc.get("host").asText()).isEqualTo("hv");
      assertThat(run.err().lines().toList()).hasSize(1);
      assertThat(run.err()).isEqualTo("svirtctl: " + doc.get("msg").asText() + "\n");
      assertThat(doc.get("msg").asText()).startsWith(bad + ":3:");
    }
  }

  @Test
  void usageErrorsWithJsonAskedForAreObjectsToo() throws IOException {
    CliRun missingRoot = run("status", "--root", temp.resolve("nope").toString(), "-o", "json");
    assertThat(missingRoot.exitCode()).isEqualTo(64);
    JsonNode doc = object(missingRoot);
    assertThat(doc.get("rc").asInt()).isEqualTo(64);
    assertThat(doc.get("msg").asText()).isEqualTo("--root " + temp.resolve("nope") + ": does not exist");

    CliRun unknown = run("history", "--frobnicate", "-o", "json");
    assertThat(unknown.exitCode()).isEqualTo(64);
    assertThat(object(unknown).get("failed").asBoolean()).isTrue();

    CliRun text = run("history", "--frobnicate");
    assertThat(text.exitCode()).isEqualTo(64);
    assertThat(text.out()).isEmpty();
  }
}
