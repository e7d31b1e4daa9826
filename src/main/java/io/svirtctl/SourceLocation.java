package io.svirtctl;

import java.util.Objects;

/**
 * A position in an input file, 1-based, as printed in diagnostics ({@code file:line:col}).
 *
 * <p>{@code line} or {@code column} may be 0 when the position inside the file is unknown; the
 * printed form then leaves them out.
 */
public record SourceLocation(String file, int line, int column) implements Comparable<SourceLocation> {

  public SourceLocation {
    Objects.requireNonNull(file, "file");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("negative position " + line + ":" + column);
    }
  }

  /** A location naming only the file. */
  public static SourceLocation ofFile(String file) {
    return new SourceLocation(file, 0, 0);
  }

  @Override
  public int compareTo(SourceLocation o) {
    int c = file.compareTo(o.file);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(line, o.line);
    return c != 0 ? c : Integer.compare(column, o.column);
  }

  @Override
  public String toString() {
    if (line == 0) {
      return file;
    }
    return column == 0 ? file + ":" + line : file + ":" + line + ":" + column;
  }
}
