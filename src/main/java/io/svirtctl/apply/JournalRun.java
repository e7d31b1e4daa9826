package io.svirtctl.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.svirtctl.host.CrashSeam;
import io.svirtctl.host.DurableFiles;
import io.svirtctl.host.Fingerprint;
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
 * thread-safe: one run records its batches one at a time.
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
  private int batches;
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
   * exist. Returns once they are fsynced, file and directory. Recording a path a second time keeps
   * the first record, which is the state before the run. A batch of one, see {@link
   * #recordAllBefore}.
   *
   * @param logicalPath the file's path as seen inside the root
   * @param before its current bytes, empty when it does not exist
   */
  public void recordBefore(Path logicalPath, Optional<byte[]> before) {
    Objects.requireNonNull(logicalPath, "logicalPath");
    Objects.requireNonNull(before, "before");
    recordAllBefore(Map.of(logicalPath, before));
  }

  /**
   * Durably records several files at once, in map order, as one batch: their previous bytes packed
   * one after the other into {@code batch-NNNNNN.before}, fsynced, the directory fsynced, then the
   * batch's index {@code batch-NNNNNN.json} (each file's path, fingerprint, offset and length),
   * fsynced, the directory fsynced. It returns once all are on disk, so the files may then be
   * replaced; an index is written only once the bytes it points into are durable, so a run cut
   * short while recording has either a readable index with its bytes, or a torn or missing index
   * for files that were never touched. Four waits for the disk per batch, whatever its size.
   *
   * @param before each file's path as seen inside the root, and its current bytes (empty when it
   *     does not exist)
   */
  public void recordAllBefore(Map<Path, Optional<byte[]>> before) {
    if (completed) {
      throw new IllegalStateException("run " + id + " is already complete");
    }
    String batch = String.format("batch-%06d", ++batches);
    String bytesName = batch + Journal.BEFORE_SUFFIX;
    List<JournalEntry> added = new ArrayList<>(before.size());
    List<byte[]> bytes = new ArrayList<>(before.size());
    Set<Path> seen = new HashSet<>(recorded);
    long offset = 0;
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
      long length = e.getValue().map(b -> (long) b.length).orElse(0L);
      added.add(new JournalEntry(path, Fingerprint.of(e.getValue()), bytesName, offset, length));
      e.getValue().ifPresent(bytes::add);
      offset += length;
    }
    if (added.isEmpty()) {
      batches--;
      return;
    }
    DurableFiles.writeNew(directory.resolve(bytesName), bytes);
    seam.fileOperationDone();
    DurableFiles.syncDirectory(directory);
    seam.fileOperationDone();
    List<BatchJson.Entry> index = new ArrayList<>(added.size());
    for (JournalEntry a : added) {
      index.add(
          new BatchJson.Entry(a.path().toString(), a.before().value(), a.offset(), a.length()));
    }
    DurableFiles.writeNew(
        directory.resolve(batch + Journal.ENTRY_SUFFIX),
        Journal.toJson(json, new BatchJson(index)));
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

  /**
   * Marks the run as one that failed part-way and put back every file it had changed, with a
   * one-line summary of why.
   */
  void rolledBack(String summary) {
    Objects.requireNonNull(summary, "summary");
    Journal.writeManifest(directory, id, time, command, RunStatus.ROLLED_BACK, summary);
    completed = true;
  }

  /** The files recorded so far, in order. */
  public List<JournalEntry> entries() {
    return List.copyOf(entries);
  }
}
