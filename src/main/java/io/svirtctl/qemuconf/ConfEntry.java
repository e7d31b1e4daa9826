package io.svirtctl.qemuconf;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code key = value} statement with where its parts are, so edits can touch only the value.
 *
 * @param valueStart index of the value's first char
 * @param valueEnd index just past the value (a closing quote or bracket, or the last digit)
 * @param comment the text after a trailing {@code #}, without it
 */
record ConfEntry(
    String key,
    QemuValue value,
    int start,
    int valueStart,
    int valueEnd,
    int end,
    Optional<String> comment)
    implements ConfStatement {

  ConfEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(comment, "comment");
    if (!(start <= valueStart && valueStart <= valueEnd && valueEnd <= end)) {
      throw new IllegalArgumentException("bad entry span " + start + ".." + end);
    }
  }
}
