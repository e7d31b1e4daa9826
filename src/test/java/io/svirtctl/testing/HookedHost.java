package io.svirtctl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A copy of the demo host on which apply installed the libvirt hook (db01 in complain mode). */
public final class HookedHost {

  private HookedHost() {}

  /** Copies the demo host to {@code dir/root}, applies the hook there and returns the root. */
  public static Path demo(Path dir) throws IOException {
    Path root = TestHosts.copyDemo(dir);
    Path state = dir.resolve("hooked-state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n"
        + "    hook: true\n    list:\n      db01: {mode: complain}\n  reload: never\n");
    CliRun apply = CliRun.run("apply", "-f", state.toString(), "--host", "hv", "--root",
        root.toString(), "--apparmor-parser", dir.resolve("no-parser").toString());
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    return root;
  }
}
