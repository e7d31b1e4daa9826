package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunRecord;
import io.svirtctl.cli.CliRun;
import io.svirtctl.host.RunLock;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten {@code svirtctl apply} processes (the packaged jar) on one root at once, five for each of
 * two desired states. The run lock must serialise them: every run starts from a complete state
 * some earlier run left (never a mix), the host ends in a state one run fully produced, and every
 * process exits clearly.
 */
class ConcurrencyIT {

  private static final int PROCESSES = 10;

  @TempDir Path tmp;

  @Test
  void tenConcurrentAppliesAreSerialisedByTheLock() throws IOException {
    Path base = ManyGuests.build(tmp.resolve("base"), 5, 5);
    Path[] states = {
      ManyGuests.writeState(tmp, "complain.yaml", ManyGuests.STATE_COMPLAIN),
      ManyGuests.writeState(tmp, "enforce.yaml", ManyGuests.STATE_ENFORCE)
    };
    Map<String, String> env = new LinkedHashMap<>(FakeParser.install(tmp.resolve("parser")));
    env.put("SVIRTCTL_LOCK_TIMEOUT_SECONDS", "600");

    List<SortedMap<String, String>> reachable = reachableStates(base, states, env);

    Path root = tmp.resolve("shared-root");
    Trees.copy(base, root);
    List<Process> running = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      running.add(
          JarRun.start(
              List.of(), env, "apply", "-f", states[i % 2].toString(), "--host", ManyGuests.HOST,
              "--root", root.toString(), "--detailed-exitcode"));
    }
    int changedRuns = 0;
    for (Process p : running) {
      JarRun r = JarRun.finish(p);
      assertThat(r.code()).as("exit of a concurrent run: %s", r.err()).isIn(0, 2);
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).isNotBlank();
      if (r.code() == 2) {
        changedRuns++;
      }
    }

    SortedMap<String, String> end = CrashConsistencyIT.text(Trees.managed(Trees.snapshot(root)));
    assertThat(reachable).as("the final host is a state one run fully produced").contains(end);
    assertThat(end).isNotEqualTo(reachable.get(0));

    List<RunRecord> runs = Journal.list(TestHosts.layout(root));
    assertThat(runs).hasSize(changedRuns);
    for (RunRecord run : runs) {
      assertThat(startedFromOneState(run, reachable))
          .as("run %s started from a complete earlier state, not a mix", run.id())
          .isTrue();
    }
    System.out.printf(
        "concurrency: %d processes, %d changed the host, %d reachable states%n",
        PROCESSES, changedRuns, reachable.size());
  }

  @Test
  void aRunThatCannotGetTheLockInTimeSaysSoInOneLineAndWritesNothing() throws IOException {
    Path root = ManyGuests.build(tmp.resolve("held"), 2, 2);
    Path state = ManyGuests.writeState(tmp, "complain.yaml", ManyGuests.STATE_COMPLAIN);
    Map<String, String> env = new LinkedHashMap<>(FakeParser.install(tmp.resolve("parser")));
    env.put("SVIRTCTL_LOCK_TIMEOUT_SECONDS", "1");
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    JarRun r;
    // Nothing may read the lock file while it is held here: closing any descriptor of it would
    // drop this process's POSIX lock.
    try (RunLock held = RunLock.acquire(TestHosts.layout(root))) {
      r =
          JarRun.run(
              List.of(), env, "apply", "-f", state.toString(), "--host", ManyGuests.HOST,
              "--root", root.toString());
    }
    assertThat(r.code()).as("out: %s err: %s", r.out(), r.err()).isEqualTo(1);
    assertThat(r.err().lines().toList())
        .singleElement()
        .asString()
        .startsWith("svirtctl: another svirtctl run holds ")
        .endsWith("waited 1 s");
    SortedMap<String, byte[]> after = Trees.snapshot(root);
    assertThat(after.remove("var/lib/svirtctl/lock")).isEmpty();
    assertThat(CrashConsistencyIT.text(after)).isEqualTo(CrashConsistencyIT.text(before));
  }

  /** Whether the bytes a run journaled before writing all come from one reachable state. */
  private static boolean startedFromOneState(
      RunRecord run, List<SortedMap<String, String>> reachable) {
    for (SortedMap<String, String> state : reachable) {
      boolean all = true;
      for (Path p : run.paths()) {
        Optional<String> before =
            run.before(p).map(b -> new String(b, StandardCharsets.UTF_8));
        Optional<String> inState = Optional.ofNullable(state.get(p.toString().substring(1)));
        if (!before.equals(inState)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every host state that applying the two desired states in any order can produce from {@code
   * base}, first {@code base} itself; computed one run at a time, in-process.
   */
  private List<SortedMap<String, String>> reachableStates(
      Path base, Path[] states, Map<String, String> env) throws IOException {
    List<SortedMap<String, String>> seen = new ArrayList<>();
    List<Path> roots = new ArrayList<>();
    seen.add(CrashConsistencyIT.text(Trees.managed(Trees.snapshot(base))));
    roots.add(base);
    for (int i = 0; i < roots.size(); i++) {
      assertThat(i).as("applying two states alternately settles").isLessThan(20);
      for (Path state : states) {
        Path next = tmp.resolve("reach-" + roots.size() + "-" + state.getFileName());
        Trees.copy(roots.get(i), next);
        Trees.deleteRecursively(next.resolve("var/lib/svirtctl"));
        CliRun r =
            CliRun.run(
                env, "", "apply", "-f", state.toString(), "--host", ManyGuests.HOST, "--root",
                next.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        SortedMap<String, String> files =
            CrashConsistencyIT.text(Trees.managed(Trees.snapshot(next)));
        if (!seen.contains(files)) {
          seen.add(files);
          roots.add(next);
        }
      }
    }
    return seen;
  }
}
