package io.svirtctl.apply;

import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.SourceLocation;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.CrashSeam;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostReader;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.ManagedPaths;
import io.svirtctl.host.RunLock;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores the files of one journaled run byte for byte, through the {@link WritePath}: the
 * rollback is itself a journaled run, so it can be rolled back too.
 *
 * <p>It refuses a journal that names a file svirtctl does not manage, and a run that later complete
 * runs built on (unless those are rolled back with it). A plain rollback after an interrupted
 * rollback finishes that rollback. Files that already hold the bytes to restore are left alone.
 */
public final class Rollback {

  /** The option that also rolls back every later run. */
  public static final String INCLUDING_LATER = "--including-later";

  private static final String COMMAND = "rollback";

  private final HostLayout layout;
  private final ApparmorParser parser;
  private final Clock clock;

  public Rollback(HostLayout layout, ApparmorParser parser, Clock clock) {
    this.layout = layout;
    this.parser = parser;
    this.clock = clock;
  }

  /** The run to roll back and whether the runs after it go too. */
  private record Target(RunRecord run, boolean includingLater) {}

  /**
   * Rolls back run {@code id}, or the newest run when empty (finishing an interrupted rollback).
   *
   * @param includingLater also roll back every run after {@code id}
   * @return the rolled-back run's id and what the new run did
   * @throws InvalidInputException for an unknown id (listing the known ones) or a journal naming
   *     a file svirtctl does not manage
   * @throws OperationFailedException when later complete runs exist and {@code includingLater} is
   *     false, or a write fails (the files are then put back)
   */
  public Result run(Optional<String> id, boolean includingLater, boolean reload) {
    try (RunLock lock = RunLock.acquire(layout)) {
      List<RunRecord> runs = Journal.list(layout);
      Target target = id.map(i -> new Target(find(runs, i), includingLater))
          .orElseGet(() -> newest(runs, includingLater));
      List<RunRecord> later = later(runs, target.run());
      List<RunRecord> undone = new ArrayList<>();
      if (!target.includingLater()) {
        List<String> complete =
            later.stream().filter(r -> r.status() == RunStatus.COMPLETE).map(RunRecord::id).toList();
        if (!complete.isEmpty()) {
          throw new OperationFailedException(
              "refusing to roll back run " + target.run().id() + ": later run(s) "
                  + String.join(", ", complete) + " changed files after it; roll them back first, or add "
                  + INCLUDING_LATER + " to roll them back too");
        }
      } else {
        undone.addAll(later);
      }
      undone.add(target.run());
      // Newest first, so each file ends with what it held before the oldest run changed it.
      Map<Path, Optional<byte[]>> before = new LinkedHashMap<>();
      for (RunRecord r : undone) {
        refuseUnmanaged(r);
        for (JournalEntry e : r.files()) {
          before.put(e.path(), r.before(e));
        }
      }
      return restore(target, before, reload);
    }
  }

  private Result restore(Target target, Map<Path, Optional<byte[]>> before, boolean reload) {
    HostReader reader = new HostReader(layout);
    KernelStatus kernel = KernelStatus.read(layout);
    ManagedPaths paths = new ManagedPaths(layout);
    List<WritePath.Change> changes = new ArrayList<>();
    List<Path> restored = new ArrayList<>();
    List<Path> deleted = new ArrayList<>();
    List<Path> unchanged = new ArrayList<>();
    for (Map.Entry<Path, Optional<byte[]>> e : before.entrySet()) {
      Path path = e.getKey();
      Optional<byte[]> now = reader.readBytes(path);
      Fingerprint current = Fingerprint.of(now);
      if (current.equals(Fingerprint.of(e.getValue()))) {
        unchanged.add(path);
      } else if (e.getValue().isEmpty()) {
        changes.add(WritePath.Change.delete(path, current));
        deleted.add(path);
      } else {
        changes.add(
            new WritePath.Change(
                path,
                Optional.of(current),
                e.getValue(),
                path.equals(paths.qemuHook())
                    ? Optional.of(PosixFilePermissions.fromString("rwxr-xr-x"))
                    : Optional.empty(),
                true));
        restored.add(path);
      }
    }
    String command = COMMAND + " " + target.run().id()
        + (target.includingLater() ? " " + INCLUDING_LATER : "");
    String runId =
        new WritePath(layout, clock)
            // Armed only by a test JVM property (crash tests); inert in production.
            .withSeam(CrashSeam.fromSystemProperty())
            .allowingProfiles()
            .commit(
                command,
                changes,
                "rollback of " + target.run().id() + ": " + restored.size() + " restored, "
                    + deleted.size() + " deleted, " + unchanged.size() + " already as before");
    List<String> reloaded = new ArrayList<>();
    if (reload && kernel.enabled()) {
      for (Path p : restored) {
        String name = p.getFileName().toString();
        if (kernel.loadedProfiles().containsKey(name)) {
          parser.replace(layout.resolve(p));
          reloaded.add(name);
        }
      }
    }
    return new Result(target.run().id(), runId, restored, deleted, unchanged, reloaded);
  }

  /** The run with this id, or invalid input listing the known ones. */
  private RunRecord find(List<RunRecord> runs, String id) {
    return runs.stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidInputException(
                    SourceLocation.ofFile(id),
                    "no such run in the journal; known runs: "
                        + (runs.isEmpty()
                            ? "none"
                            : String.join(", ", runs.stream().map(RunRecord::id).toList()))));
  }

  /**
   * The newest run that changed something; when it is an interrupted rollback, the run that
   * rollback was undoing, so a plain {@code rollback} finishes it.
   */
  private Target newest(List<RunRecord> runs, boolean includingLater) {
    RunRecord newest =
        runs.stream()
            .filter(r -> r.status() != RunStatus.ROLLED_BACK)
            .findFirst()
            .orElseThrow(
                () -> new OperationFailedException("no runs in the journal to roll back"));
    List<String> words = Arrays.asList(newest.command().split(" "));
    if (newest.status() == RunStatus.INCOMPLETE
        && words.size() >= 2
        && words.get(0).equals(COMMAND)) {
      return new Target(find(runs, words.get(1)), words.contains(INCLUDING_LATER));
    }
    return new Target(newest, includingLater);
  }

  /** The runs after {@code run} that changed something, newest first. */
  private static List<RunRecord> later(List<RunRecord> runs, RunRecord run) {
    return runs.stream()
        .filter(r -> r.id().compareTo(run.id()) > 0 && r.status() != RunStatus.ROLLED_BACK)
        .toList();
  }

  /** A journal is input: one naming a file svirtctl does not manage is refused whole. */
  private void refuseUnmanaged(RunRecord run) {
    WritePath check = new WritePath(layout, clock);
    if (run.command().startsWith("profile-mode")) {
      check = check.allowingProfiles();
    }
    for (JournalEntry e : run.files()) {
      try {
        check.refuseUnmanaged(e.path());
      } catch (OperationFailedException refused) {
        throw new InvalidInputException(
            SourceLocation.ofFile(run.directory().toString()),
            "refusing to roll back run " + run.id() + ": it names " + e.path()
                + ", which is not a file svirtctl manages");
      }
    }
  }

  /** What a rollback did, by file. */
  public record Result(
      String rolledBack,
      String runId,
      List<Path> restored,
      List<Path> deleted,
      List<Path> unchanged,
      List<String> reloaded) {
    public Result {
      restored = List.copyOf(restored);
      deleted = List.copyOf(deleted);
      unchanged = List.copyOf(unchanged);
      reloaded = List.copyOf(reloaded);
    }
  }
}
