package io.svirtctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Export after an apply describes the host so exactly that applying the export changes nothing. */
class ExportTest {

  @TempDir Path temp;

  @ParameterizedTest(name = "hook: {0}")
  @ValueSource(booleans = {false, true})
  void exportOfTheAppliedDemoHostIsANoOp(boolean hook) throws Exception {
    Path root = temp.resolve("root");
    Trees.copy(Trees.DEMO, root);
    String demo = Files.readString(Path.of("playbook-examples/demo/state.yaml"));
    Path state = temp.resolve("state.yaml");
    Files.writeString(state, hook ? demo.replace("    prune: true\n", "    prune: true\n    hook: true\n") : demo);
    // No parser: the demo's profiles are what is exported, not whether they compile here.
    Map<String, String> env = Map.of("SVIRTCTL_APPARMOR_PARSER", "/nonexistent/apparmor_parser");

    CliRun apply = CliRun.run(env, "", "apply", "-f", state.toString(), "--host", "hv", "--root", root.toString(), "--no-reload");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    CliRun export = CliRun.run(env, "", "export", "--host", "hv", "--root", root.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).contains("kind: Host").contains("db01:\n        mode: complain");
    assertThat(export.out().contains("hook: true")).isEqualTo(hook);

    Path exported = temp.resolve("exported.yaml");
    Files.writeString(exported, export.out());
    CliRun plan = CliRun.run(env, "", "plan", "-f", exported.toString(), "--host", "hv", "--root", root.toString(), "--detailed-exitcode");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
    assertThat(plan.out()).isEqualTo("No changes: host hv is in sync.\n");
  }
}
