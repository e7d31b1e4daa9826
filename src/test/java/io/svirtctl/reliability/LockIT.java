package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.OperationFailedException;
import io.svirtctl.TestHosts;
import io.svirtctl.apply.Journal;
import io.svirtctl.cli.CliRun;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.RunLock;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Predicate;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 4: the lock was a lock on a path that can be unlinked. After {@code rm} of the
 * lock file a second run took a fresh lock and the two interleaved. Now a run that got its lock on
 * a file the path no longer names lets go and waits again, and a run whose lock file is removed
 * stops before writing. Also {@code plan} and {@code apply --check} create nothing under the root,
 * lock file included. (The timeout only keeps a regression from hanging the build.)
 */
@Timeout(600)
class LockIT {

  @TempDir Path tmp;

  /** What {@code pid}'s open descriptors point at. */
  private static List<String> openFiles(long pid) {
    List<String> targets = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          targets.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException closed) {
          // Closed meanwhile.
        }
      }
    } catch (IOException gone) {
      return targets;
    }
    return targets;
  }

  /** Waits until {@code pid}'s open files satisfy {@code condition}. */
  private static void awaitOpenFiles(Process p, Predicate<List<String>> condition, String what)
      throws InterruptedException {
    while (!condition.test(openFiles(p.pid()))) {
      if (!p.isAlive()) {
        Assertions.fail("the run ended before " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aRunThatGotTheLockOfARemovedLockFileWaitsForTheNewOne() throws Exception {
    Path root = TestHosts.copyDemo(tmp);
    HostLayout layout = TestHosts.layout(root);
    Map<String, String> env = new java.util.HashMap<>(FakeParser.install(tmp.resolve("parser")));
    env.put("SVIRTCTL_LOCK_TIMEOUT_SECONDS", "300");
    SortedMap<String, byte[]> before = Trees.managed(Trees.snapshot(root));
    RunLock first = RunLock.acquire(layout);
    String lockFile = root.resolve("var/lib/svirtctl/lock").toString();
    Process waiting = JarRun.start(List.of(), env, "apply", "-f",
        TestHosts.demoSource().resolveSibling("state.yaml").toString(), "--host", "demo-hv01",
        "--no-reload", "--root", root.toString());
    awaitOpenFiles(waiting, files -> files.contains(lockFile), "it opened the lock file");

    // Someone removes the lock file; another run creates a new one and locks it.
    Files.delete(Path.of(lockFile));
    RunLock second = RunLock.acquire(layout);
    // The first run ends: the waiting run gets the lock of the removed file, sees that the path
    // names another file, lets go and opens the new one.
    first.close();
    awaitOpenFiles(waiting,
        files -> files.contains(lockFile) && !files.contains(lockFile + " (deleted)"),
        "it reopened the lock file");

    assertThat(CrashConsistencyIT.text(Trees.managed(Trees.snapshot(root))))
        .as("nothing written while the second run holds the lock")
        .isEqualTo(CrashConsistencyIT.text(before));
    assertThat(Journal.list(layout)).isEmpty();
    second.close();
    JarRun done = JarRun.finish(waiting);
    assertThat(done.code()).as(done.err()).isZero();
    assertThat(Journal.list(layout)).hasSize(1);
  }

  @Test
  void aRunWhoseLockFileWasRemovedStopsBeforeWriting() throws IOException {
    Path root = TestHosts.copyDemo(tmp);
    HostLayout layout = TestHosts.layout(root);
    try (RunLock held = RunLock.acquire(layout)) {
      RunLock.verifyHeld(layout);
      Files.delete(root.resolve("var/lib/svirtctl/lock"));
      Assertions.assertThatThrownBy(() -> RunLock.verifyHeld(layout))
          .isInstanceOf(OperationFailedException.class)
          .hasMessage("the lock file " + root.resolve("var/lib/svirtctl/lock")
              + " was removed or replaced while this run held it; stopped before writing, run"
              + " again");
    }
  }

  @Test
  void planAndApplyCheckCreateNothingUnderTheRoot() throws IOException {
    Path root = TestHosts.copyDemo(tmp);
    Map<String, String> env = FakeParser.install(tmp.resolve("parser"));
    List<String> before = everyPath(root);
    String state = TestHosts.demoSource().resolveSibling("state.yaml").toString();
    for (String[] args : List.of(
        new String[] {"plan", "-f", state, "--host", "demo-hv01", "--root", root.toString()},
        new String[] {"apply", "--check", "-f", state, "--host", "demo-hv01", "--root",
            root.toString()})) {
      CliRun r = CliRun.run(env, "", args);
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(everyPath(root)).as(args[0]).isEqualTo(before);
    }
    assertThat(root.resolve("var")).doesNotExist();
  }

  /** Every path under {@code root}, directories included. */
  private static List<String> everyPath(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
