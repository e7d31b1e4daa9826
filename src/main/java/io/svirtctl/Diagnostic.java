package io.svirtctl;

import java.util.Objects;

/** One problem found in an input, with where it is. Printed as {@code file:line:col: message}. */
public record Diagnostic(SourceLocation location, String message) implements Comparable<Diagnostic> {

  public Diagnostic {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int compareTo(Diagnostic o) {
    int c = location.compareTo(o.location);
    return c != 0 ? c : message.compareTo(o.message);
  }

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
