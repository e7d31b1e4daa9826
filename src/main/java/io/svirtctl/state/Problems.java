package io.svirtctl.state;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.util.List;
import java.util.TreeSet;

/** Collects every diagnostic of one state file, so all of them are reported together. */
final class Problems {

  private final TreeSet<Diagnostic> found = new TreeSet<>();

  /** Records a problem at {@code location}; {@code path} is the YAML path, or empty for the file. */
  void add(SourceLocation location, String path, String message) {
    found.add(new Diagnostic(location, path.isEmpty() ? message : path + ": " + message));
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** Throws every problem found, sorted, if there is any. */
  void throwIfAny() {
    if (!found.isEmpty()) {
      throw new InvalidInputException(List.copyOf(found));
    }
  }
}
