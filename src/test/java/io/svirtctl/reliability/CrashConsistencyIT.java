package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunRecord;
import io.svirtctl.apply.RunStatus;
import io.svirtctl.cli.CliRun;
import io.svirtctl.host.CrashSeam;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code svirtctl apply} (the packaged jar) after each of its file operations in turn and
 * checks what a crash may leave: every managed file holds its old or its new bytes, a rerun
 * converges and cleans up, and a rollback of the interrupted run restores the old host. The
 * checks hold whatever order the applier writes in.
 */
class CrashConsistencyIT {

  /** Far more operations than any plan here has: a run that never finishes fails the test. */
  private static final int MAX_OPERATIONS = 2000;

  @TempDir Path tmp;

  @Test
  void aRunKilledAfterAnyFileOperationLeavesOldOrNewFilesAndRecovers() throws IOException {
    Path base = ManyGuests.build(tmp.resolve("base"), 7, 7);
    Path state = ManyGuests.writeState(tmp, "state.yaml", ManyGuests.STATE_COMPLAIN);
    Map<String, String> env = FakeParser.install(tmp.resolve("parser"));
    String parser = env.get("SVIRTCTL_APPARMOR_PARSER");
    SortedMap<String, byte[]> before = Trees.managed(Trees.snapshot(base));

    Path full = copy(base, tmp.resolve("full"));
    Path archive = tmp.resolve("classes.jsa");
    JarRun uninterrupted =
        JarRun.run(JarRun.sharedClasses(archive), Map.of(), apply(state, full, parser));
    assertThat(uninterrupted.code()).as(uninterrupted.err()).isZero();
    SortedMap<String, byte[]> after = Trees.managed(Trees.snapshot(full));
    TreeSet<String> changed = changedFiles(before, after);
    assertThat(changed).hasSizeGreaterThanOrEqualTo(20);

    int halted = 0;
    int incompleteRuns = 0;
    int withoutRun = 0;
    for (int k = Integer.getInteger("svirtctl.test.crashFirstK", 1); ; k++) {
      assertThat(k).as("the run finishes within %d file operations", MAX_OPERATIONS)
          .isLessThan(MAX_OPERATIONS);
      Path crashed = copy(base, tmp.resolve("crash"));
      JarRun run =
          JarRun.run(
              withSeam(JarRun.sharedClasses(archive), k), Map.of(), apply(state, crashed, parser));
      if (run.code() == 0) {
        assertThat(text(Trees.managed(Trees.snapshot(crashed)))).as("k=%d", k)
            .isEqualTo(text(after));
        break;
      }
      assertThat(run.code()).as("k=%d halts: %s", k, run.err()).isEqualTo(CrashSeam.HALT_STATUS);
      halted++;

      SortedMap<String, byte[]> atCrash = Trees.managed(Trees.snapshot(crashed));
      for (String path : union(before, after)) {
        byte[] now = atCrash.get(path);
        boolean old = sameBytes(now, before.get(path));
        boolean fresh = sameBytes(now, after.get(path));
        assertThat(old || fresh)
            .as("k=%d: %s holds neither its old nor its new bytes (%s bytes)",
                k, path, now == null ? "absent" : String.valueOf(now.length))
            .isTrue();
      }
      for (String path : atCrash.keySet()) {
        assertThat(before.containsKey(path) || after.containsKey(path) || isTemp(path))
            .as("k=%d: unexpected file %s", k, path)
            .isTrue();
      }

      Path rolledBack = copy(crashed, tmp.resolve("rollback"));
      List<RunRecord> runs = Journal.list(TestHosts.layout(rolledBack));
      if (runs.isEmpty()) {
        // Killed before the journal run existed: no managed file may have been touched.
        assertThat(text(withoutTemps(atCrash))).as("k=%d", k).isEqualTo(text(before));
        withoutRun++;
      } else {
        assertThat(runs).as("k=%d", k).hasSize(1);
        RunRecord interrupted = runs.get(0);
        if (!changedFiles(withoutTemps(atCrash), after).isEmpty()) {
          assertThat(interrupted.status())
              .as("k=%d, not yet written: %s", k, changedFiles(withoutTemps(atCrash), after))
              .isEqualTo(RunStatus.INCOMPLETE);
        }
        if (interrupted.status() == RunStatus.INCOMPLETE) {
          incompleteRuns++;
          CliRun history = CliRun.run(Map.of(), "", "history", "--root", rolledBack.toString());
          assertThat(history.out()).as("k=%d", k).contains(interrupted.id()).contains("incomplete");
        }
        CliRun rollback =
            CliRun.run(
                env, "", "rollback", interrupted.id(), "--root", rolledBack.toString(),
                "--no-reload");
        assertThat(rollback.exitCode()).as("k=%d rollback: %s", k, rollback.err()).isZero();
        assertThat(text(Trees.managed(Trees.snapshot(rolledBack)))).as("k=%d after rollback", k)
            .isEqualTo(text(before));
      }

      CliRun rerun = CliRun.run(env, "", apply(state, crashed, parser));
      assertThat(rerun.exitCode()).as("k=%d rerun: %s", k, rerun.err()).isZero();
      assertThat(text(Trees.managed(Trees.snapshot(crashed)))).as("k=%d rerun converges", k)
          .isEqualTo(text(after));
      assertThat(leftovers(crashed)).as("k=%d temp files after the rerun", k).isEmpty();
    }
    // At least one crash point between every two renames: a batch stages all files, then renames
    // them one by one.
    assertThat(halted).isGreaterThan(changed.size());
    assertThat(incompleteRuns).isPositive();
    System.out.printf(
        "crash consistency: %d files changed, halted after each of %d file operations"
            + " (%d before the journal run existed, %d with an incomplete run)%n",
        changed.size(), halted, withoutRun, incompleteRuns);
  }

  private static List<String> withSeam(List<String> options, int k) {
    List<String> all = new java.util.ArrayList<>(options);
    all.add("-D" + CrashSeam.PROPERTY + "=" + k);
    return all;
  }

  private static String[] apply(Path state, Path root, String parser) {
    return new String[] {
      "apply", "-f", state.toString(), "--host", ManyGuests.HOST, "--root", root.toString(),
      "--apparmor-parser", parser
    };
  }

  static TreeSet<String> changedFiles(SortedMap<String, byte[]> a, SortedMap<String, byte[]> b) {
    TreeSet<String> out = new TreeSet<>();
    for (String path : union(a, b)) {
      if (!sameBytes(a.get(path), b.get(path))) {
        out.add(path);
      }
    }
    return out;
  }

  private static TreeSet<String> union(SortedMap<String, byte[]> a, SortedMap<String, byte[]> b) {
    TreeSet<String> all = new TreeSet<>(a.keySet());
    all.addAll(b.keySet());
    return all;
  }

  private static boolean sameBytes(byte[] a, byte[] b) {
    return a == null ? b == null : b != null && Arrays.equals(a, b);
  }

  private static boolean isTemp(String path) {
    return Path.of(path).getFileName().toString().endsWith(".svirtctl-tmp");
  }

  private static SortedMap<String, byte[]> withoutTemps(SortedMap<String, byte[]> files) {
    SortedMap<String, byte[]> out = new java.util.TreeMap<>(files);
    out.keySet().removeIf(CrashConsistencyIT::isTemp);
    return out;
  }

  /** Temp files and half-built journal runs anywhere under the root. */
  static List<Path> leftovers(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".svirtctl-tmp") || name.startsWith(".new-")
                    || name.endsWith(".tmp");
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The files as text, so a failure shows a readable diff (every file here is UTF-8). */
  static SortedMap<String, String> text(SortedMap<String, byte[]> files) {
    SortedMap<String, String> out = new java.util.TreeMap<>();
    files.forEach((k, v) -> out.put(k, new String(v, java.nio.charset.StandardCharsets.UTF_8)));
    return out;
  }

  private static Path copy(Path from, Path to) throws IOException {
    Trees.deleteRecursively(to);
    Trees.copy(from, to);
    return to;
  }

}
