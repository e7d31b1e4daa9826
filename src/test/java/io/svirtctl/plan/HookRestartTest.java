package io.svirtctl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.HookedHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether installing the hook needs the QEMU driver's daemon restarted: only when libvirt had no
 * executable qemu hook to find when it started (the golden cases cover none, {@code hooks/qemu},
 * and removal). Here: the other places and kinds of hooks libvirt looks at.
 */
class HookRestartTest {

  @TempDir Path dir;

  private String planWith(String hookFile, String mode) throws IOException {
    Path root = TestHosts.copyDemo(dir);
    Path hook = root.resolve("etc/libvirt/hooks/" + hookFile);
    Files.createDirectories(hook.getParent());
    Files.writeString(hook, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString(mode));
    Path state = dir.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n    hook: true\n");
    CliRun plan = CliRun.run("plan", "-f", state.toString(), "--host", "hv", "--root",
        root.toString(), "-o", "json");
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    return plan.out();
  }

  @Test
  void anotherExecutableScriptInQemuDMeansNoRestart() throws IOException {
    assertThat(planWith("qemu.d/10-site", "rwxr-x---")).contains("\"restart_required\":[]");
  }

  @Test
  void aQemuHookThatIsNotExecutableWasNotFoundSoTheDaemonRestarts() throws IOException {
    String plan = planWith("qemu", "rw-r--r--");
    assertThat(plan).contains("\"restart_required\":[\"libvirtd\"]", "libvirtd must restart before it runs the hook");
  }

  @Test
  void aDirectoryInQemuDIsNoHook() throws IOException {
    Path root = TestHosts.copyDemo(dir);
    Files.createDirectories(root.resolve("etc/libvirt/hooks/qemu.d/not-a-script"));
    Path state = dir.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n    hook: true\n");
    CliRun plan = CliRun.run("plan", "-f", state.toString(), "--host", "hv", "--root",
        root.toString(), "-o", "json");
    assertThat(plan.out()).contains("\"restart_required\":[\"libvirtd\"]");
  }

  @Test
  void aHookScriptThatLostItsExecuteBitIsWrittenAgainAndTheDaemonRestarts() throws IOException {
    Path root = HookedHost.demo(dir);
    Path script = root.resolve("etc/libvirt/hooks/qemu.d/svirtctl");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    Path state = dir.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n"
        + "    hook: true\n    list:\n      db01: {mode: complain}\n  reload: never\n");
    String[] apply = {"apply", "-f", state.toString(), "--host", "hv", "--root", root.toString(),
        "-o", "json"};

    CliRun first = CliRun.run(apply);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains(
        "\"action\":\"update\",\"resource\":\"apparmor.guests.hook\"",
        "\"restart_required\":[\"libvirtd\"]");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
        .isEqualTo("rwxr-xr-x");
    assertThat(CliRun.run(apply).out()).contains("\"changed\":false", "\"restart_required\":[]");
  }
}
