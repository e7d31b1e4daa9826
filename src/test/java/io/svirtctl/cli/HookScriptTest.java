package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.testing.HookedHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook script apply installs, run as libvirt runs it: as a program with DOMAIN OP SUBOP EXTRA
 * and the domain XML on standard input. A domain name that looks like an option or an argument
 * file is a domain name. The script finds {@code svirtctl} on its own fixed {@code PATH}; here a
 * private mount namespace puts a launcher of this build at {@code /usr/local/sbin/svirtctl}, and
 * the settings' environment variables point svirtctl at the scratch root.
 */
class HookScriptTest {

  private static final String DB01 = "libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"-x", "-h", "--version", "@etc", "--root=/"})
  void aDomainNamedLikeAnOptionIsADomainName(String name) throws Exception {
    Path root = HookedHost.demo(dir);
    Path profile = root.resolve("etc/apparmor.d/libvirt/" + DB01);
    Files.delete(profile);
    String xml = Files.readString(root.resolve("etc/libvirt/qemu/db01.xml"))
        .replace("<name>db01</name>", "<name>" + name + "</name>");

    Process run = runInstalledScript(root, xml, name, "prepare", "begin", "-");

    String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as(out + err).isZero();
    assertThat(out).as("a hook prints nothing: libvirt may read its output as domain XML").isEmpty();
    ProfileDocument restored = ProfileDocument.parse(DB01, Files.readString(profile));
    assertThat(restored.mode()).isEqualTo(Mode.COMPLAIN);
    assertThat(Files.readString(root.resolve("var/lib/svirtctl/hook.log")))
        .contains(name + ": recreated from the recorded template " + DB01 + " (complain)");
  }

  /** Runs {@code etc/libvirt/hooks/qemu.d/svirtctl} of the root with these arguments. */
  private Process runInstalledScript(Path root, String stdin, String... args) throws IOException {
    Path script = root.resolve("etc/libvirt/hooks/qemu.d/svirtctl");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
        .isEqualTo("rwxr-xr-x");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Files.writeString(bin.resolve("svirtctl"), "#!/bin/sh\nexec '" + java + "' -cp '"
        + System.getProperty("java.class.path") + "' io.svirtctl.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(bin.resolve("svirtctl"), PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> cmd = new java.util.ArrayList<>(List.of("unshare", "-rm", "sh", "-c",
        "mount --bind \"$0\" /usr/local/sbin && exec \"$@\"", bin.toString(), script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    Map<String, String> env = pb.environment();
    env.put("SVIRTCTL_CONFIG", dir.resolve("no-settings.properties").toString());
    env.put("SVIRTCTL_APPARMOR_DIR", root.resolve("etc/apparmor.d").toString());
    env.put("SVIRTCTL_LIBVIRT_DIR", root.resolve("etc/libvirt").toString());
    env.put("SVIRTCTL_QEMU_CONF", root.resolve("etc/libvirt/qemu.conf").toString());
    env.put("SVIRTCTL_STATE_DIR", root.resolve("var/lib/svirtctl").toString());
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    return p;
  }
}
