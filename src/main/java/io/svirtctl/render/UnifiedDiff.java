package io.svirtctl.render;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import io.svirtctl.plan.FileOperation;
import java.util.ArrayList;
import java.util.List;

/** Unified diffs (three lines of context) of a plan's file operations. */
final class UnifiedDiff {

  private static final String NO_FILE = "/dev/null";
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  /** The unified diff of one file operation, as lines. */
  static List<String> of(FileOperation op) {
    String before = op.before().orElse("");
    String after = op.after().orElse("");
    List<String> a = lines(before);
    List<String> b = lines(after);
    Patch<String> patch = DiffUtils.diff(a, b);
    String path = op.path().toString();
    String from = op.before().isPresent() || op.isDelete() ? path : NO_FILE;
    String to = op.isDelete() ? NO_FILE : path;
    if (patch.getDeltas().isEmpty()) {
      return List.of();
    }
    return UnifiedDiffUtils.generateUnifiedDiff(from, to, a, patch, CONTEXT);
  }

  /** Splits text into lines; a missing final newline is marked as diff(1) does. */
  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    String[] parts = text.split("\n", -1);
    for (int i = 0; i < parts.length - 1; i++) {
      out.add(parts[i]);
    }
    String last = parts[parts.length - 1];
    if (!last.isEmpty()) {
      out.add(last);
      out.add("\\ No newline at end of file");
    }
    return out;
  }
}
