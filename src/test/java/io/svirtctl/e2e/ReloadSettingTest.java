package io.svirtctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code reload} setting turns kernel reloads off for a host, as --no-reload does for a run. */
class ReloadSettingTest {

  @TempDir Path temp;

  private String applyDbComplain(Map<String, String> extraEnv) throws Exception {
    Path root = temp.resolve("root-" + extraEnv.size());
    Trees.copy(Trees.DEMO, root);
    Path state = temp.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n"
        + "    list:\n      db01: {mode: complain}\n");
    Path parserDir = temp.resolve("parser-" + extraEnv.size());
    Map<String, String> env = new HashMap<>(FakeParser.install(parserDir));
    env.putAll(extraEnv);
    CliRun r = CliRun.run(env, "", "apply", "-f", state.toString(), "--host", "hv", "--root", root.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    return FakeParser.log(parserDir);
  }

  @Test
  void theLoadedProfileIsReloadedByDefault() throws Exception {
    assertThat(applyDbComplain(Map.of())).contains("-r ").contains("libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb");
  }

  @Test
  void reloadNeverInTheEnvironmentSkipsIt() throws Exception {
    assertThat(applyDbComplain(Map.of("SVIRTCTL_RELOAD", "never"))).isEmpty();
  }
}
