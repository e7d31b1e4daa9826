package io.svirtctl.apparmor;

/** A half-open range {@code [start, end)} of character offsets in a document's text. */
public record TextRange(int start, int end) {

  public TextRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range " + start + ".." + end);
    }
  }
}
