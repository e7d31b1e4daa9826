package io.svirtctl.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.cli.CliRun;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.testing.HookedHost;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor's verdict on the libvirt hook, on scratch roots: the hook as apply installs it, the
 * libvirt version in Debian's changelog, dpkg's status or the daemon binary, and a daemon whose
 * pid file and {@code /proc} entries say when it started.
 */
class HookActivityTest {

  private static final Instant INSTALLED = Instant.parse("2026-11-30T10:00:00Z");
  private static final long BOOT = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();

  @TempDir Path dir;
  private Path root;
  private Path hook;

  @BeforeEach
  void hostWithTheHook() throws IOException {
    root = HookedHost.demo(dir);
    hook = root.resolve("etc/libvirt/hooks/qemu.d/svirtctl");
    Files.setLastModifiedTime(hook, FileTime.from(INSTALLED));
  }

  private List<Finding> examine() {
    return HookActivity.examine(SnapshotReader.read(TestHosts.layout(root)));
  }

  private static Finding finding(List<Finding> findings, String check) {
    return findings.stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow();
  }

  private void changelog(String pkg, String version) throws IOException {
    Path file = root.resolve("usr/share/doc/" + pkg + "/changelog.Debian.gz");
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(("libvirt (" + version + ") bookworm; urgency=medium\n\n  * Release.\n")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A running daemon started {@code started}: its pid file, /proc/PID/stat and /proc/stat. */
  private void daemon(String name, long pid, Instant started) throws IOException {
    Files.createDirectories(root.resolve("run"));
    Files.writeString(root.resolve("run/" + name + ".pid"), pid + "\n");
    long ticks = (started.getEpochSecond() - BOOT) * 100;
    Path stat = root.resolve("proc/" + pid + "/stat");
    Files.createDirectories(stat.getParent());
    Files.writeString(stat, pid + " (" + name + ") S 1 " + pid + " " + pid
        + " 0 -1 4194560 2000 0 10 0 30 12 0 0 20 0 18 0 " + ticks + " 1400000000 9000 0\n");
    Files.writeString(root.resolve("proc/stat"),
        "cpu  1 2 3 4\nintr 0\nctxt 99\nbtime " + BOOT + "\nprocesses 500\n");
  }

  @Test
  void aDaemonStartedAfterTheHookRunsIt() throws IOException {
    changelog("libvirt-daemon", "9.0.0-4+deb12u2");
    daemon("libvirtd", 4242, INSTALLED.plusSeconds(60));

    List<Finding> findings = examine();

    assertThat(findings).allSatisfy(f -> assertThat(f.severity()).as(f.message()).isEqualTo(Severity.OK));
    assertThat(finding(findings, "hook.layout").message())
        .contains("libvirt 9.0.0-4+deb12u2 (read from /usr/share/doc/libvirt-daemon/changelog.Debian.gz)");
    assertThat(finding(findings, "hook.active").message())
        .contains("libvirtd (pid 4242) started at 2026-11-30T10:01:00Z", "libvirt runs it");
  }

  @Test
  void aHookInstalledAfterTheDaemonStartedIsNotRunUntilItRestarts() throws IOException {
    changelog("libvirt-daemon", "9.0.0-4+deb12u2");
    daemon("libvirtd", 4242, INSTALLED.minusSeconds(3600));

    Finding active = finding(examine(), "hook.active");

    assertThat(active.severity()).isEqualTo(Severity.WARNING);
    assertThat(active.message()).contains("before the hook was installed");
    assertThat(active.fix()).contains("restart libvirtd to activate the svirtctl hook");
    CliRun doctor = CliRun.run("doctor", "--root", root.toString());
    assertThat(doctor.out()).contains("restart libvirtd to activate the svirtctl hook");
  }

  @Test
  void anOtherQemuHookTheDaemonFoundAtItsStartMakesTheNewOneRunToo() throws IOException {
    changelog("libvirt-daemon", "9.0.0-4+deb12u2");
    Path other = root.resolve("etc/libvirt/hooks/qemu");
    Files.writeString(other, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setLastModifiedTime(other, FileTime.from(INSTALLED.minusSeconds(7200)));
    daemon("libvirtd", 4242, INSTALLED.minusSeconds(3600));

    Finding active = finding(examine(), "hook.active");

    assertThat(active.severity()).isEqualTo(Severity.OK);
    assertThat(active.message()).contains("found the qemu hook /etc/libvirt/hooks/qemu");
  }

  @Test
  void aLibvirtThatDoesNotReadQemuDNeverRunsTheHook() throws IOException {
    Path status = root.resolve("var/lib/dpkg/status");
    Files.createDirectories(status.getParent());
    Files.writeString(status, "Package: bash\nStatus: install ok installed\nVersion: 5.0-4\n\n"
        + "Package: libvirt-daemon\nStatus: install ok installed\nVersion: 6.0.0-2\n\n");
    daemon("libvirtd", 4242, INSTALLED.plusSeconds(60));

    List<Finding> findings = examine();

    Finding layout = finding(findings, "hook.layout");
    assertThat(layout.severity()).isEqualTo(Severity.WARNING);
    assertThat(layout.message())
        .contains("libvirt 6.0.0-2 (read from /var/lib/dpkg/status)", "not the scripts in /etc/libvirt/hooks/qemu.d/");
    assertThat(layout.fix()).hasValueSatisfying(f -> assertThat(f).contains("upgrade libvirt to 6.5"));
    assertThat(findings).extracting(Finding::check).doesNotContain("hook.active");
  }

  @Test
  void theVersionComesFromTheDaemonBinaryWhenNoPackageSaysIt() throws IOException {
    Path binary = root.resolve("usr/sbin/virtqemud");
    Files.createDirectories(binary.getParent());
    Files.write(binary, "\0ELF\0LIBVIRT_PRIVATE_10.10.0\0LIBVIRT_PRIVATE_11.3.0\0LIBVIRT_PRIVATE_9.0.0\0"
        .getBytes(StandardCharsets.ISO_8859_1));
    Path socket = root.resolve("etc/systemd/system/sockets.target.wants/virtqemud.socket");
    Files.createDirectories(socket.getParent());
    Files.writeString(socket, "");
    daemon("virtqemud", 77, INSTALLED.minusSeconds(10));

    List<Finding> findings = examine();

    assertThat(finding(findings, "hook.layout").message())
        .contains("libvirt 11.3.0 (read from /usr/sbin/virtqemud)");
    assertThat(finding(findings, "hook.active").fix())
        .contains("restart virtqemud to activate the svirtctl hook");
  }

  @Test
  void aStalePidFileIsNoRunningDaemon() throws IOException {
    changelog("libvirt-daemon", "9.0.0-4");
    daemon("libvirtd", 4242, INSTALLED.minusSeconds(3600));
    Path stat = root.resolve("proc/4242/stat");
    Files.writeString(stat, Files.readString(stat).replace("(libvirtd)", "(sshd)"));

    Finding active = finding(examine(), "hook.active");

    assertThat(active.severity()).isEqualTo(Severity.OK);
    assertThat(active.message()).contains("libvirtd is not running");
  }

  @Test
  void aHookThatIsNotExecutableIsSkippedByLibvirt() throws IOException {
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rw-r--r--"));

    Finding found = finding(examine(), "hook");

    assertThat(found.severity()).isEqualTo(Severity.WARNING);
    assertThat(found.message()).contains("is not executable");
  }
}
