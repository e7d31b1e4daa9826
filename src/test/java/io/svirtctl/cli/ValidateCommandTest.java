package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

  @TempDir Path dir;

  @Test
  void demoStateIsValidAndSummarisedOnOneLine() {
    CliRun r = CliRun.run("validate", "-f", "playbook-examples/demo/state.yaml", "--host", "hv01");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(
        "ok: playbook-examples/demo/state.yaml is valid for host hv01: 3 qemu.conf key(s), template managed,"
            + " 2 guest(s) listed\n");
  }

  @Test
  void invalidFileExitsWith65AndPrintsOnlyDiagnostics() throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests: {default_mode: enforcing}\n");
    CliRun r = CliRun.run("validate", "-f", f.toString());
    assertThat(r.exitCode()).isEqualTo(65);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("svirtctl: " + f + ":4:26: apparmor.guests.default_mode: unknown mode"
        + " 'enforcing' (did you mean 'enforce'?)\n");
  }

  @Test
  void readsStandardInputAndPicksTheFleetHost() {
    String fleet = "apiVersion: svirtctl/v1\nkind: Fleet\nhosts:\n  hv01: {qemu_conf: {user: root}}\n";
    CliRun r = CliRun.run(Map.of(), fleet, "validate", "-f", "-", "--host", "hv01");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("ok: <stdin> is valid for host hv01: 1 qemu.conf key(s)");
    CliRun miss = CliRun.run(Map.of(), fleet, "validate", "-f", "-", "--host", "hv02");
    assertThat(miss.exitCode()).isEqualTo(65);
    assertThat(miss.err()).startsWith("svirtctl: <stdin>: no group or host entry of this Fleet matches host 'hv02'");
  }

  @Test
  void missingFileIsReportedWithItsName() {
    CliRun r = CliRun.run("validate", "-f", dir.resolve("nope.yaml").toString());
    assertThat(r.exitCode()).isEqualTo(65);
    assertThat(r.err()).isEqualTo("svirtctl: " + dir.resolve("nope.yaml") + ": cannot read the state file: no such file\n");
  }

  @Test
  void fileOptionIsRequired() {
    CliRun r = CliRun.run("validate");
    assertThat(r.exitCode()).isEqualTo(64);
  }

  @Test
  void schemaCommandPrintsTheJsonSchema() throws IOException {
    CliRun r = CliRun.run("schema");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode s = new ObjectMapper().readTree(r.out());
    assertThat(s.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(s.at("/properties/apiVersion/enum/0").asText()).isEqualTo("svirtctl/v1");
  }

  @Test
  void helpListsBothCommands() {
    assertThat(CliRun.run("--help").out()).contains("validate").contains("schema");
  }
}
