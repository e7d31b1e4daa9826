package io.svirtctl.apply;

import io.svirtctl.host.Fingerprint;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file a run changed: its path as seen inside the root and the fingerprint of what it held
 * before ({@code absent} when the run created it). {@code storedAs} names the entry's files in the
 * run's journal directory.
 */
public record JournalEntry(Path path, Fingerprint before, String storedAs) {

  public JournalEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(storedAs, "storedAs");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("a journaled path must be absolute: " + path);
    }
  }
}
