package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.testing.FakeParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 5: under {@code umask 000} the hook directories {@code /etc/libvirt/hooks} and
 * {@code hooks/qemu.d} were created 0777, and libvirt executes everything in them as root. Every
 * file and directory svirtctl creates now gets an explicit mode whatever the umask: directories
 * 0755, a new profile 0644, the hook script 0755, svirtctl's state 0700 and its files 0600. The
 * packaged jar runs in a child process started by {@code sh -c 'umask 000; exec …'}.
 */
class UmaskIT {

  @TempDir Path tmp;

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void underUmask000EverythingCreatedGetsItsExplicitMode() throws Exception {
    String jar = System.getProperty("svirtctl.jar", "target/svirtctl.jar");
    Assumptions.assumeTrue(Files.isRegularFile(Path.of(jar)), "packaged jar missing: " + jar);
    Path root = TestHosts.copyDemo(tmp);
    assertThat(root.resolve("etc/libvirt/hooks")).doesNotExist();
    assertThat(root.resolve("var")).doesNotExist();
    Path state = tmp.resolve("hooked-state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n"
        + "    hook: true\n    list:\n      db01: {mode: complain}\n"
        + "      build01: {mode: enforce}\n  reload: never\n");
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 000; exec \"$@\"", "sh",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
        "apply", "-f", state.toString(), "--host", "hv", "--root", root.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("SVIRTCTL_"));
    pb.environment().putAll(FakeParser.install(tmp.resolve("parser")));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();

    assertThat(mode(root.resolve("etc/libvirt/hooks"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(root.resolve("etc/libvirt/hooks/qemu.d"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(root.resolve("etc/libvirt/hooks/qemu.d/svirtctl"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(root.resolve(
        "etc/apparmor.d/libvirt/libvirt-c0ffee00-1234-4cde-8f00-5566778899aa")))
        .as("a new profile").isEqualTo("rw-r--r--");
    assertThat(mode(root.resolve("var"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(root.resolve("var/lib"))).isEqualTo("rwxr-xr-x");
    Path stateDir = root.resolve("var/lib/svirtctl");
    try (Stream<Path> all = Files.walk(stateDir)) {
      for (Path q : all.toList()) {
        assertThat(mode(q)).as(stateDir.relativize(q).toString())
            .isEqualTo(Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------");
      }
    }
    assertThat(stateDir.resolve("hook/guests.json")).exists();
  }
}
