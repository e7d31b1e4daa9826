package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.TestHosts;
import io.svirtctl.testing.Exposition;
import io.svirtctl.testing.FakeParser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} before and after an apply of the demo state, and its usage errors. */
class StatusCommandTest {

  private static final String STATE =
      TestHosts.demoSource().resolve("../state.yaml").normalize().toString();

  @TempDir Path temp;

  @Test
  void afterApplyEveryGuestIsInSyncAndTheRunIsShown() throws Exception {
    Path root = TestHosts.copyDemo(temp);
    Map<String, String> env = FakeParser.install(temp.resolve("bin"));
    JsonNode before = json(env, root);
    assertThat(before.get("guests").findValuesAsText("in_sync")).contains("false");
    assertThat(before.get("last_run").isNull()).isTrue();

    CliRun apply =
        CliRun.run(env, "", "apply", "-f", STATE, "--host", "demo", "--root", root.toString(),
            "--no-reload");
    assertThat(apply.exitCode()).as(apply.err()).isZero();

    JsonNode after = json(env, root);
    assertThat(after.get("guests").findValuesAsText("in_sync")).containsOnly("true");
    assertThat(after.get("last_run").get("command").asText()).startsWith("apply -f ");
    assertThat(after.get("last_run").get("complete").asBoolean()).isTrue();
    JsonNode db01 = guest(after, "db01");
    assertThat(db01.get("mode").asText()).isEqualTo("complain");
    // The kernel still holds the enforcing profile: apply ran with --no-reload.
    assertThat(db01.get("loaded_mode").asText()).isEqualTo("enforce");
    assertThat(guest(after, "web01").get("managed_rules").asInt()).isEqualTo(2);

    CliRun text = CliRun.run(env, "", "status", "--root", root.toString(), "-f", STATE, "--host", "demo");
    assertThat(text.out()).contains("last run:").contains("apply -f ").endsWith("0 not in sync.\n");
    CliRun prom = CliRun.run(env, "", "status", "--root", root.toString(), "-o", "prometheus");
    assertThat(Exposition.check(prom.out())).isEmpty();
    assertThat(Exposition.samples(prom.out(), "svirtctl_last_run_timestamp_seconds")).hasSize(1);
    assertThat(Exposition.samples(prom.out(), "svirtctl_guests"))
        .filteredOn(s -> s.labels().get("mode").equals("complain"))
        .singleElement()
        .extracting(Exposition.Sample::value)
        .isEqualTo(1.0);
  }

  @Test
  void hostWithoutStateFileIsAUsageError() {
    CliRun run = CliRun.run("status", "--root", temp.toString(), "--host", "h");
    assertThat(run.exitCode()).isEqualTo(64);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--file");
  }

  @Test
  void unknownFormatIsAUsageError() {
    CliRun run = CliRun.run("status", "--root", temp.toString(), "-o", "yaml");
    assertThat(run.exitCode()).isEqualTo(64);
    assertThat(run.err()).contains("TEXT, JSON, PROMETHEUS");
  }

  private static JsonNode json(Map<String, String> env, Path root) throws Exception {
    CliRun run =
        CliRun.run(env, "", "status", "--root", root.toString(), "-f", STATE, "--host", "demo", "-o", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out());
  }

  private static JsonNode guest(JsonNode doc, String name) {
    for (JsonNode g : doc.get("guests")) {
      if (name.equals(g.get("name").asText(null))) {
        return g;
      }
    }
    throw new AssertionError("no guest " + name + " in " + doc);
  }
}
