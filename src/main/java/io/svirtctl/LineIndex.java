package io.svirtctl;

import java.util.Arrays;

/**
 * Line and column of offsets into one text, for every diagnostic svirtctl prints: lines are
 * separated by {@code \n} only (as libvirt and AppArmor count them; a {@code \r} is part of its
 * line), both are 1-based, and a column counts Unicode code points from the start of the line, so
 * a character outside the Basic Multilingual Plane is one column, as in state-file positions.
 * Built once per text in O(n); each lookup is O(log lines) plus the length of the line's prefix.
 */
public final class LineIndex {

  private final String text;
  private final int[] starts;

  private LineIndex(String text, int[] starts) {
    this.text = text;
    this.starts = starts;
  }

  /** The index of {@code text}. */
  public static LineIndex of(String text) {
    int[] starts = new int[16];
    int n = 0;
    starts[n++] = 0;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      if (n == starts.length) {
        starts = Arrays.copyOf(starts, n * 2);
      }
      starts[n++] = i + 1;
    }
    return new LineIndex(text, Arrays.copyOf(starts, n));
  }

  /** The 1-based line of a UTF-16 offset ({@code 0..length}). */
  public int line(int offset) {
    int i = Arrays.binarySearch(starts, offset);
    return (i >= 0 ? i : -i - 2) + 1;
  }

  /** The 1-based column, in code points, of a UTF-16 offset. */
  public int column(int offset) {
    int start = starts[line(offset) - 1];
    return text.codePointCount(start, offset) + 1;
  }

  /** The offset's position in {@code file}. */
  public SourceLocation location(String file, int offset) {
    return new SourceLocation(file, line(offset), column(offset));
  }
}
