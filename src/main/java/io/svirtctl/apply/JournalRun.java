package io.svirtctl.apply;

import io.svirtctl.host.CrashSeam;
import io.svirtctl.host.Fingerprint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
        Journal.toJson(new EntryJson(path.toString(), fingerprint.value())));
    seam.fileOperationDone();
    DurableFiles.syncDirectory(directory);
    seam.fileOperationDone();
    entries.add(new JournalEntry(path, fingerprint, storedAs));
    recorded.add(path);
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
