package io.svirtctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule the real apparmor_parser refuses stops the run before anything is written. */
class ProfileCheckIT {

  @TempDir Path temp;

  @Test
  void aRuleTheParserRefusesIsInvalidInputAndNothingIsWritten() throws Exception {
    boolean required = "1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS"));
    assumeTrue(required || Files.isExecutable(FakeParser.REAL), "apparmor_parser not installed");
    Path root = temp.resolve("root");
    Trees.copy(Trees.DEMO, root);
    Path state = temp.resolve("state.yaml");
    Files.writeString(state,
        "apiVersion: svirtctl/v1\nkind: Host\nqemu_conf:\n  security_driver: apparmor\n"
            + "apparmor:\n  guests:\n    list:\n      web01: {rules: [\"/srv/x qqq,\"]}\n");
    Map<String, String> env = FakeParser.install(temp.resolve("parser"));
    SortedMap<String, byte[]> before = Trees.snapshot(root);

    CliRun r = CliRun.run(env, "", "apply", "-f", state.toString(), "--host", "hv", "--root", root.toString());

    assertThat(r.exitCode()).isEqualTo(65);
    assertThat(r.err().lines()).hasSize(1);
    // The rule's own position in the state file (line 8, column 23), not the profile it went to.
    assertThat(r.err())
        .startsWith("svirtctl: " + state + ":8:23: apparmor.guests.list.web01.rules[0]: apparmor_parser ")
        .contains(" refuses \"/srv/x qqq,\": ");
    assertThat(Trees.managed(Trees.snapshot(root))).containsExactlyEntriesOf(Trees.managed(before));
  }
}
