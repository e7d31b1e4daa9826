package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.host.HostLayout;
import io.svirtctl.host.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileModeCommandTest {

  private static final String GUEST = "libvirt-00000000-0000-4000-8000-000000000001";
  private static final String GUEST_TEXT =
      "# guest\nprofile " + GUEST + " flags=(attach_disconnected) {\n  /x r,\n}\n";
  private static final String TOOL_TEXT = "/usr/bin/tool {\n  ^sub {\n  }\n}\n";
  private static final FileTime OLD = FileTime.fromMillis(1_000_000_000_000L);

  @TempDir Path root;
  private Path guest;
  private Path tool;

  @BeforeEach
  void files() throws IOException {
    Path dir = Files.createDirectories(root.resolve("etc/apparmor.d/libvirt"));
    guest = dir.resolve(GUEST);
    tool = root.resolve("etc/apparmor.d/usr.bin.tool");
    Files.writeString(guest, GUEST_TEXT);
    Files.writeString(tool, TOOL_TEXT);
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "profile-mode";
    all[1] = "--root";
    all[2] = root.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.run(all);
  }

  @Test
  void switchesEveryFileOnceAndThenWritesNothing() throws IOException {
    CliRun first =
        run("complain", "--detailed-exitcode", "/etc/apparmor.d/libvirt/" + GUEST, "/etc/apparmor.d/usr.bin.tool");
    assertThat(first.exitCode()).isEqualTo(2);
    assertThat(first.out())
        .isEqualTo(
            "complain: /etc/apparmor.d/libvirt/" + GUEST + "\n"
                + "complain: /etc/apparmor.d/usr.bin.tool\n");
    assertThat(guest).hasContent(GUEST_TEXT.replace("(attach_disconnected)", "(attach_disconnected, complain)"));
    assertThat(tool)
        .hasContent("/usr/bin/tool flags=(complain) {\n  ^sub flags=(complain) {\n  }\n}");

    Files.setLastModifiedTime(guest, OLD);
    CliRun again = run("COMPLAIN", "--detailed-exitcode", "/etc/apparmor.d/libvirt/" + GUEST);
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEmpty();
    assertThat(Files.getLastModifiedTime(guest)).isEqualTo(OLD);

    CliRun back = run("enforce", "/etc/apparmor.d/libvirt/" + GUEST, "/etc/apparmor.d/usr.bin.tool");
    assertThat(back.exitCode()).isZero();
    assertThat(guest).hasContent(GUEST_TEXT);
    assertThat(tool).hasContent(TOOL_TEXT);
  }

  @Test
  void waitsForTheRunLockLikeApplyAndFailsClearlyWhenItIsHeld() throws IOException {
    HostLayout layout =
        SettingsLoader.load(root, Map.of("SVIRTCTL_LOCK_TIMEOUT_SECONDS", "1"), Map.of());
    try (RunLock held = RunLock.acquire(layout)) {
      CliRun r =
          CliRun.run(Map.of("SVIRTCTL_LOCK_TIMEOUT_SECONDS", "1"), "", "profile-mode", "--root",
              root.toString(), "complain", "/etc/apparmor.d/libvirt/" + GUEST);
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).startsWith("svirtctl: another svirtctl run holds ");
      assertThat(r.err().lines()).hasSize(1);
    }
    assertThat(guest).hasContent(GUEST_TEXT);
  }

  @Test
  void checkModeReportsButWritesNothing() throws IOException {
    CliRun r = run("complain", "--check", "--detailed-exitcode", "/etc/apparmor.d/libvirt/" + GUEST);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEqualTo("complain: /etc/apparmor.d/libvirt/" + GUEST + "\n");
    assertThat(guest).hasContent(GUEST_TEXT);
    assertThat(run("enforce", "--check", "--detailed-exitcode", "/etc/apparmor.d/libvirt/" + GUEST).exitCode())
        .isZero();
  }

  @Test
  void oneUnreadableFileMeansNothingIsWritten() throws IOException {
    Path bad = root.resolve("etc/apparmor.d/bad");
    Files.writeString(bad, "# broken\nfoo {\n}\n");
    CliRun r =
        run("complain", "/etc/apparmor.d/libvirt/" + GUEST, "/etc/apparmor.d/bad", "/etc/apparmor.d/missing");
    assertThat(r.exitCode()).isEqualTo(65);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("svirtctl: /etc/apparmor.d/bad:2:1: profile names must begin with '/'")
        .contains("svirtctl: /etc/apparmor.d/missing: no such profile file");
    assertThat(guest).hasContent(GUEST_TEXT);
  }

  @Test
  void aSymlinkedProfileIsRefusedBeforeAnyWrite() throws IOException {
    Path link = root.resolve("etc/apparmor.d/linked");
    Files.createSymbolicLink(link, tool);
    CliRun r = run("complain", "/etc/apparmor.d/libvirt/" + GUEST, "/etc/apparmor.d/linked");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("symlink");
    assertThat(guest).hasContent(GUEST_TEXT);
    assertThat(tool).hasContent(TOOL_TEXT);
  }

  @Test
  void reloadsOnlyProfilesTheKernelHasLoaded() throws IOException {
    Path sys = Files.createDirectories(root.resolve("sys/module/apparmor/parameters"));
    Files.writeString(sys.resolve("enabled"), "Y\n");
    Path sec = Files.createDirectories(root.resolve("sys/kernel/security/apparmor"));
    Files.writeString(sec.resolve("profiles"), GUEST + " (enforce)\nother (enforce)\n");
    Path log = root.resolve("parser.log");
    Path fake = root.resolve("fake-parser");
    Files.writeString(fake, "#!/bin/sh\necho \"$@\" >> '" + log + "'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));

    CliRun noReload =
        run("complain", "--no-reload", "--apparmor-parser", fake.toString(), "/etc/apparmor.d/libvirt/" + GUEST);
    assertThat(noReload.exitCode()).isZero();
    assertThat(log).doesNotExist();

    CliRun r =
        run("enforce", "--apparmor-parser", fake.toString(),
            "/etc/apparmor.d/libvirt/" + GUEST, "/etc/apparmor.d/usr.bin.tool");
    assertThat(r.exitCode()).isZero();
    // Only the guest changed back and is loaded; usr.bin.tool was already in enforce mode.
    assertThat(Files.readAllLines(log)).isEqualTo(List.of("-r " + guest));
  }

  @Test
  void aReloadOfAChangedLoadedProfileFailsClearly() throws IOException {
    Path sys = Files.createDirectories(root.resolve("sys/module/apparmor/parameters"));
    Files.writeString(sys.resolve("enabled"), "Y\n");
    Path sec = Files.createDirectories(root.resolve("sys/kernel/security/apparmor"));
    Files.writeString(sec.resolve("profiles"), "/usr/bin/tool//sub (enforce)\n");
    Path fake = root.resolve("failing-parser");
    Files.writeString(fake, "#!/bin/sh\necho 'cannot load' >&2\nexit 3\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    CliRun r = run("complain", "--apparmor-parser", fake.toString(), "/etc/apparmor.d/usr.bin.tool");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("apparmor_parser -r").contains("cannot load");
  }
}
