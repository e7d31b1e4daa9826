package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.host.Fingerprint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One run as the journal remembers it: when it started, the command, whether it finished, its
 * summary, and every file it changed with what that file held before.
 *
 * @param directory the run's journal directory (a real path, under the root)
 */
public record RunRecord(
    String id,
    Instant time,
    String command,
    RunStatus status,
    String summary,
    List<JournalEntry> files,
    Path directory) {

  public RunRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    files = List.copyOf(files);
    Objects.requireNonNull(directory, "directory");
  }

  /** The paths (as seen inside the root) this run changed, in the order it journaled them. */
  public List<Path> paths() {
    return files.stream().map(JournalEntry::path).toList();
  }

  /**
   * What a file held before this run: its bytes, or empty when the run created it. The stored bytes
   * are checked against the recorded fingerprint, so a rollback restores exactly them.
   *
   * @throws OperationFailedException if the run did not change this path, or its journal copy is
   *     missing or damaged
   */
  public Optional<byte[]> before(Path path) {
    JournalEntry entry =
        files.stream()
            .filter(e -> e.path().equals(path.normalize()))
            .findFirst()
            .orElseThrow(
                () -> new OperationFailedException("run " + id + " did not change " + path));
    return before(entry);
  }

  /**
   * What the file of one of this run's entries held before the run; as {@link #before(Path)}
   * without looking the entry up, so a rollback of N files reads N entries, not N².
   */
  public Optional<byte[]> before(JournalEntry entry) {
    if (entry.before().isAbsent()) {
      return Optional.empty();
    }
    Path stored = directory.resolve(entry.storedIn());
    byte[] bytes = new byte[Math.toIntExact(entry.length())];
    try (FileChannel ch = FileChannel.open(stored, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      long at = entry.offset();
      while (buf.hasRemaining()) {
        int n = ch.read(buf, at);
        if (n < 0) {
          throw new OperationFailedException(
              "journal file " + stored + " is damaged: it ends before the bytes of "
                  + entry.path());
        }
        at += n;
      }
    } catch (IOException e) {
      throw new OperationFailedException(
          "cannot read journal file " + stored + ": " + e.getMessage(), e);
    }
    if (!Fingerprint.of(Optional.of(bytes)).equals(entry.before())) {
      throw new OperationFailedException(
          "journal file " + stored + " is damaged: its bytes no longer match " + entry.before());
    }
    return Optional.of(bytes);
  }
}
