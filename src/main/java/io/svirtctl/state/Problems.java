package io.svirtctl.state;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Collects every diagnostic of one state file, so all of them are reported together. */
final class Problems {

  private final TreeSet<Diagnostic> found = new TreeSet<>();
  private final Set<SourceLocation> unreadable = new HashSet<>();

  /** Records a problem at {@code location}; {@code path} is the YAML path, or empty for the file. */
  void add(SourceLocation location, String path, String message) {
    if (unreadable.contains(location)) {
      return;
    }
    found.add(new Diagnostic(location, path.isEmpty() ? message : path + ": " + message));
  }

  /**
   * Records why the node at {@code location} could not be read; later problems about the same
   * node (its type, its value) would only repeat this one, so they are dropped.
   */
  void unreadable(SourceLocation location, String path, String message) {
    add(location, path, message);
    unreadable.add(location);
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
