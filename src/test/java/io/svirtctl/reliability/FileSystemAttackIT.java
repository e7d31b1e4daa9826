package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunRecord;
import io.svirtctl.apply.RunStatus;
import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks and faults in the file system under a root: managed paths that are symlinks or
 * directories, a read-only file system, a full disk. Each ends in a clear one-line error, no file
 * outside the root is touched, no managed file is torn, and the journal stays readable.
 */
class FileSystemAttackIT {

  private static final String QEMU_CONF = "etc/libvirt/qemu.conf";
  private static final String GUEST =
      "etc/apparmor.d/libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  /** build01 has no profile yet: apply creates this one. */
  private static final String NEW_GUEST =
      "etc/apparmor.d/libvirt/libvirt-c0ffee00-1234-4cde-8f00-5566778899aa";

  @TempDir Path tmp;

  private Map<String, String> env;
  private Path state;

  @BeforeEach
  void parser() throws IOException {
    env = FakeParser.install(tmp.resolve("parser"));
    state = TestHosts.demoSource().resolveSibling("state.yaml");
  }

  private CliRun apply(Path root) {
    return CliRun.run(env, "", "apply", "-f", state.toString(), "--host", "demo-hv01", "--root",
        root.toString());
  }

  /** Exit 1 and one {@code svirtctl: } line that mentions {@code about}. */
  private static void failsClearly(CliRun r, String about) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("svirtctl: ").contains(about).doesNotContain("Exception");
  }

  private void refusedAndUntouched(String name, Path root, Path outside, String about)
      throws IOException {
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    byte[] outsideBefore = Files.readAllBytes(outside);
    CliRun r = apply(root);
    failsClearly(r, about);
    assertThat(Files.readAllBytes(outside)).as(name + ": the file outside the root").isEqualTo(outsideBefore);
    SortedMap<String, byte[]> after = Trees.snapshot(root);
    after.remove("var/lib/svirtctl/lock");
    assertThat(CrashConsistencyIT.text(Trees.managed(after))).as(name)
        .isEqualTo(CrashConsistencyIT.text(Trees.managed(before)));
    assertThat(Journal.list(TestHosts.layout(root))).as(name + ": journal").isEmpty();
  }

  @Test
  void aManagedFileThatIsASymlinkToAFileOutsideTheRootIsRefused() throws IOException {
    Path root = TestHosts.copyDemo(tmp.resolve("a"));
    Path outside = tmp.resolve("outside-qemu.conf");
    Files.move(root.resolve(QEMU_CONF), outside);
    Files.createSymbolicLink(root.resolve(QEMU_CONF), outside);
    refusedAndUntouched("qemu.conf symlink", root, outside, "symbolic link");
  }

  @Test
  void aGuestProfileThatIsASymlinkToAScratchShadowIsRefused() throws IOException {
    Path root = TestHosts.copyDemo(tmp.resolve("b"));
    Path shadow = tmp.resolve("scratch/etc/shadow");
    Files.createDirectories(shadow.getParent());
    Files.writeString(shadow, "root:$6$scratch$notreal:19000:0:99999:7:::\n");
    Files.delete(root.resolve(GUEST));
    Files.createSymbolicLink(root.resolve(GUEST), shadow);
    refusedAndUntouched("profile symlink", root, shadow, "symbolic link");
  }

  @Test
  void aProfileToBeCreatedThatIsADanglingSymlinkIsRefused() throws IOException {
    Path root = TestHosts.copyDemo(tmp.resolve("c"));
    Path target = tmp.resolve("scratch/etc/cron.d/evil");
    Files.createDirectories(target.getParent());
    Files.createSymbolicLink(root.resolve(NEW_GUEST), target);
    Path marker = tmp.resolve("scratch/etc/cron.d/marker");
    Files.writeString(marker, "unchanged\n");
    refusedAndUntouched("dangling symlink", root, marker, "symbolic link");
    assertThat(Files.exists(target)).as("nothing written through the link").isFalse();
  }

  @Test
  void aSymlinkedProfileDirectoryIsRefusedBeforeAnyWrite() throws IOException {
    Path root = TestHosts.copyDemo(tmp.resolve("d"));
    Path realDir = tmp.resolve("scratch/elsewhere");
    Files.createDirectories(realDir.getParent());
    Path dir = root.resolve("etc/apparmor.d/libvirt");
    Files.move(dir, realDir);
    Files.createSymbolicLink(dir, realDir);
    Path marker = realDir.resolve("TEMPLATE.qemu");
    SortedMap<String, byte[]> outside = Trees.snapshot(realDir);
    refusedAndUntouched("symlinked directory", root, marker, "symlink");
    assertThat(CrashConsistencyIT.text(Trees.snapshot(realDir)))
        .isEqualTo(CrashConsistencyIT.text(outside));
  }

  @Test
  void aDirectoryWhereAFileIsExpectedIsRefused() throws IOException {
    for (String path : List.of(QEMU_CONF, GUEST, NEW_GUEST, "etc/apparmor.d/libvirt/TEMPLATE.qemu",
        "etc/apparmor.d/local/abstractions/libvirt-qemu")) {
      Path root = TestHosts.copyDemo(tmp.resolve("dir-" + path.replace('/', '_')));
      Path p = root.resolve(path);
      Files.deleteIfExists(p);
      Files.createDirectories(p.resolve("inside"));
      Path marker = p.resolve("inside/file");
      Files.writeString(marker, "kept\n");
      refusedAndUntouched(path + " as a directory", root, marker, "directory");
    }
  }

  @Test
  void aReadOnlyFileSystemFailsClearlyAndChangesNothing() throws IOException {
    Path root = TestHosts.copyDemo(tmp.resolve("ro"));
    Path etc = root.resolve("etc");
    Path saved = tmp.resolve("etc-saved");
    Trees.copy(etc, saved);
    mountTmpfs(etc, "size=4m");
    try {
      Trees.copy(saved, etc);
      run("mount", "-o", "remount,ro", etc.toString());
      SortedMap<String, byte[]> before = Trees.managed(Trees.snapshot(root));
      CliRun r = apply(root);
      failsClearly(r, "Read-only file system");
      assertThat(CrashConsistencyIT.text(Trees.managed(Trees.snapshot(root))))
          .isEqualTo(CrashConsistencyIT.text(before));
      List<RunRecord> runs = Journal.list(TestHosts.layout(root));
      // The run stopped before its first rename and says it put back everything it had changed.
      assertThat(runs).allSatisfy(run -> assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK));
      CliRun history = CliRun.run("history", "--root", root.toString());
      assertThat(history.exitCode()).as(history.err()).isZero();
    } finally {
      run("umount", etc.toString());
    }
  }

  @Test
  void aFullDiskAtEveryPointFailsClearlyTearsNothingAndRollsBack() throws IOException {
    Path mount = tmp.resolve("small");
    Files.createDirectories(mount);
    mountTmpfs(mount, "size=2m");
    Path reference = tmp.resolve("reference");
    try {
      Path fresh = TestHosts.copyDemo(reference);
      SortedMap<String, byte[]> before = Trees.managed(Trees.snapshot(fresh));
      assertThat(apply(fresh).exitCode()).isZero();
      SortedMap<String, byte[]> after = Trees.managed(Trees.snapshot(fresh));
      int failures = 0;
      int rolledBackAtOnce = 0;
      for (int freePages = 0; ; freePages++) {
        assertThat(freePages).as("apply succeeds once there is room").isLessThan(200);
        Trees.deleteRecursively(mount.resolve("host"));
        Path root = TestHosts.copyDemo(mount.resolve("host"));
        Path filler = mount.resolve("host/filler");
        fill(filler, freePages);
        CliRun r = apply(root);
        SortedMap<String, byte[]> now = Trees.managed(Trees.snapshot(root));
        now.remove("filler");
        if (r.exitCode() == 0) {
          assertThat(CrashConsistencyIT.text(now)).isEqualTo(CrashConsistencyIT.text(after));
          break;
        }
        failures++;
        failsClearly(r, "No space left on device");
        assertThat(CrashConsistencyIT.changedFiles(before, now))
            .as("free pages %d: files neither old nor new", freePages)
            .allSatisfy(p -> assertThat(new String(now.getOrDefault(p, new byte[0]),
                StandardCharsets.UTF_8)).isEqualTo(new String(after.getOrDefault(p, new byte[0]),
                StandardCharsets.UTF_8)));
        assertThat(CrashConsistencyIT.leftovers(root.resolve("etc"))).isEmpty();
        List<RunRecord> runs = Journal.list(TestHosts.layout(root));
        if (!runs.isEmpty() && runs.get(0).status() == RunStatus.ROLLED_BACK) {
          // The run put back what it had changed: every file is old again.
          rolledBackAtOnce++;
          assertThat(CrashConsistencyIT.text(now)).as("free pages %d: put back", freePages)
              .isEqualTo(CrashConsistencyIT.text(before));
        }
        Files.delete(filler);
        if (!runs.isEmpty()) {
          CliRun rollback = CliRun.run(env, "", "rollback", runs.get(0).id(), "--root",
              root.toString(), "--no-reload");
          assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        }
        SortedMap<String, byte[]> restored = Trees.managed(Trees.snapshot(root));
        assertThat(CrashConsistencyIT.text(restored)).as("free pages %d: rolled back", freePages)
            .isEqualTo(CrashConsistencyIT.text(before));
      }
      assertThat(failures).isPositive();
      System.out.printf(
          "full disk: %d fill levels failed cleanly, %d of them put back by the run itself%n",
          failures, rolledBackAtOnce);
    } finally {
      run("umount", mount.toString());
    }
  }

  /** Fills the file system of {@code filler} until {@code freePages} pages of 4 KiB are left. */
  private static void fill(Path filler, int freePages) throws IOException {
    long usable = Files.getFileStore(filler.getParent()).getUsableSpace();
    long size = Math.max(0, usable - freePages * 4096L);
    byte[] chunk = new byte[4096];
    try (var out = Files.newOutputStream(filler)) {
      for (long written = 0; written < size; written += chunk.length) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // Full before the target size: that is as full as it gets.
    }
  }

  private static void mountTmpfs(Path at, String options) {
    boolean mounted;
    try {
      mounted = run("mount", "-t", "tmpfs", "-o", options, "svirtctl-test", at.toString());
    } catch (IOException e) {
      mounted = false;
    }
    Assumptions.assumeTrue(mounted,
        "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); read-only and full-disk"
            + " faults not exercised");
  }

  private static boolean run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
