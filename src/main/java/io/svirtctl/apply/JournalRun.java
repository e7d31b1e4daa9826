package io.svirtctl.apply;

import io.svirtctl.host.CrashSeam;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.SyncWorkers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The journal of the run in progress. Call {@link #recordBefore} for a file before writing it, and
 * {@link #complete} at the end; a run that never completes stays listed as incomplete. Not
 * thread-safe: one run writes its files one at a time.
 */
public final class JournalRun {

  private final String id;
  private final Instant time;
  private final String command;
  private final Path directory;
  private final CrashSeam seam;
  private final ObjectWriter json = new ObjectMapper().writer();
  private final List<JournalEntry> entries = new ArrayList<>();
  private final Set<Path> recorded = new HashSet<>();
  private boolean completed;

  JournalRun(String id, Instant time, String command, Path directory, CrashSeam seam) {
    this.id = id;
    this.time = time;
    this.command = command;
    this.directory = directory;
    this.seam = seam;
  }

  /** The run's id, such as {@code 20261129T051500Z-0000}. */
  public String id() {
    return id;
  }

  /** The run's journal directory (a real path, under the root). */
  public Path directory() {
    return directory;
  }

  /**
   * Durably records what a file holds before this run changes it: its bytes, or that it did not
   * exist. Returns once the bytes and the entry are fsynced, file and directory. Recording a path a
   * second time keeps the first record, which is the state before the run.
   *
   * @param logicalPath the file's path as seen inside the root
   * @param before its current bytes, empty when it does not exist
   */
  public void recordBefore(Path logicalPath, Optional<byte[]> before) {
    Objects.requireNonNull(logicalPath, "logicalPath");
    Objects.requireNonNull(before, "before");
    if (!logicalPath.isAbsolute()) {
      throw new IllegalArgumentException("a journaled path must be absolute: " + logicalPath);
    }
    Path path = logicalPath.normalize();
    if (completed) {
      throw new IllegalStateException("run " + id + " is already complete");
    }
    if (recorded.contains(path)) {
      return;
    }
    String storedAs = String.format("entry-%06d", entries.size() + 1);
    Fingerprint fingerprint = Fingerprint.of(before);
    if (before.isPresent()) {
      DurableFiles.writeNew(directory.resolve(storedAs + Journal.BEFORE_SUFFIX), before.get());
      seam.fileOperationDone();
    }
    // The entry is written last: an entry file always has its bytes beside it.
    DurableFiles.writeNew(
        directory.resolve(storedAs + Journal.ENTRY_SUFFIX),
        Journal.toJson(json, new EntryJson(path.toString(), fingerprint.value())));
    seam.fileOperationDone();
    DurableFiles.syncDirectory(directory);
    seam.fileOperationDone();
    entries.add(new JournalEntry(path, fingerprint, storedAs));
    recorded.add(path);
  }

  /**
   * Durably records several files at once, as {@link #recordBefore} does one by one, in map
   * order: every previous content is written and fsynced (several at a time, so the file system
   * commits them together), the directory is fsynced, then every entry likewise. It returns once
   * all are on disk, so the first file may then be replaced; an entry file always has its bytes
   * beside it.
   *
   * @param before each file's path as seen inside the root, and its current bytes (empty when it
   *     does not exist)
   */
  public void recordAllBefore(Map<Path, Optional<byte[]>> before) {
    if (completed) {
      throw new IllegalStateException("run " + id + " is already complete");
    }
    List<JournalEntry> added = new ArrayList<>(before.size());
    List<Map.Entry<Path, byte[]>> bytes = new ArrayList<>(before.size());
    Set<Path> seen = new HashSet<>(recorded);
    for (Map.Entry<Path, Optional<byte[]>> e : before.entrySet()) {
      Objects.requireNonNull(e.getKey(), "logicalPath");
      Objects.requireNonNull(e.getValue(), "before");
      if (!e.getKey().isAbsolute()) {
        throw new IllegalArgumentException("a journaled path must be absolute: " + e.getKey());
      }
      Path path = e.getKey().normalize();
      if (!seen.add(path)) {
        continue;
      }
      String storedAs = String.format("entry-%06d", entries.size() + added.size() + 1);
      added.add(new JournalEntry(path, Fingerprint.of(e.getValue()), storedAs));
      e.getValue()
          .ifPresent(
              b -> bytes.add(Map.entry(directory.resolve(storedAs + Journal.BEFORE_SUFFIX), b)));
    }
    if (added.isEmpty()) {
      return;
    }
    // The crash seam counts each batch step: the parallel workers must not share its counter.
    SyncWorkers.forEach(bytes, b -> DurableFiles.writeNew(b.getKey(), b.getValue()));
    seam.fileOperationDone();
    DurableFiles.syncDirectory(directory);
    seam.fileOperationDone();
    SyncWorkers.forEach(
        added,
        a ->
            DurableFiles.writeNew(
                directory.resolve(a.storedAs() + Journal.ENTRY_SUFFIX),
                Journal.toJson(json, new EntryJson(a.path().toString(), a.before().value()))));
    seam.fileOperationDone();
    DurableFiles.syncDirectory(directory);
    seam.fileOperationDone();
    for (JournalEntry a : added) {
      entries.add(a);
      recorded.add(a.path());
    }
  }

  /** Marks the run finished, with a one-line summary such as {@code 3 changes applied}. */
  public void complete(String summary) {
    Objects.requireNonNull(summary, "summary");
    Journal.writeManifest(directory, id, time, command, RunStatus.COMPLETE, summary);
    seam.fileOperationDone();
    completed = true;
  }

  /** The files recorded so far, in order. */
  public List<JournalEntry> entries() {
    return List.copyOf(entries);
  }
}
