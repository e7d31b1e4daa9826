package io.svirtctl.render;

import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;

/**
 * The result of a command that reports a few lines (history, rollback, profile-mode, validate):
 * the lines text output prints and the one object JSON output prints. Commands build both from
 * the same values and pick the format once.
 *
 * @param document a record with Jackson annotations, or a tree, whose keys start with {@code
 *     format_version}
 */
public record Listing(List<String> lines, Object document) {

  public Listing {
    lines = List.copyOf(lines);
    Objects.requireNonNull(document, "document");
  }

  public void print(OutputFormat format, PrintWriter out) {
    switch (format) {
      case TEXT -> lines.forEach(out::println);
      case JSON -> JsonLine.print(document, out);
    }
    out.flush();
  }
}
