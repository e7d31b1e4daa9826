package io.svirtctl.apply;

import io.svirtctl.host.Fingerprint;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file a run changed: its path as seen inside the root and the fingerprint of what it held
 * before ({@code absent} when the run created it). Its previous bytes are the {@code length} bytes
 * at {@code offset} of the file {@code storedIn} in the run's journal directory (a batch's packed
 * {@code batch-NNNNNN.before}, or the whole {@code entry-NNNNNN.before} of a journal written one
 * file per entry); an absent file has none.
 */
public record JournalEntry(
    Path path, Fingerprint before, String storedIn, long offset, long length) {

  public JournalEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(storedIn, "storedIn");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("a journaled path must be absolute: " + path);
    }
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "a journaled slice is never negative: " + offset + "+" + length);
    }
  }
}
