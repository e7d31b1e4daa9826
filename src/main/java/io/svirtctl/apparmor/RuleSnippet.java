package io.svirtctl.apparmor;

import java.util.ArrayList;
import java.util.List;

/**
 * A file of bare rules included into profiles (such as the local libvirt-qemu abstraction),
 * with one svirtctl managed block. Text outside the block is the admins' and kept byte for
 * byte; the block sits at the end of the file.
 */
public final class RuleSnippet {

  /** First line of a managed block. */
  public static final String BEGIN = "# BEGIN svirtctl managed rules";
  /** Last line of a managed block. */
  public static final String END = "# END svirtctl managed rules";

  private RuleSnippet() {}

  /** The rules inside the managed block, without indentation; empty when there is no block. */
  public static List<String> managedRules(String text) {
    List<String> rules = new ArrayList<>();
    boolean inside = false;
    for (String line : text.split("\r?\n", -1)) {
      String t = line.strip();
      if (t.equals(BEGIN)) {
        inside = true;
      } else if (t.equals(END)) {
        inside = false;
      } else if (inside && !t.isEmpty()) {
        rules.add(t);
      }
    }
    return rules;
  }

  /**
   * The text with its managed block holding exactly {@code rules}: replaced in place when there
   * is one, appended otherwise, removed (with nothing else changed) when {@code rules} is empty.
   */
  public static String withManagedRules(String text, List<String> rules) {
    String eol = text.contains("\r\n") ? "\r\n" : "\n";
    int begin = indexOfLine(text, BEGIN, 0);
    int end = begin < 0 ? -1 : indexOfLine(text, END, begin);
    StringBuilder block = new StringBuilder();
    if (!rules.isEmpty()) {
      block.append(BEGIN).append(eol);
      for (String r : rules) {
        block.append("  ").append(r).append(eol);
      }
      block.append(END).append(eol);
    }
    if (begin >= 0 && end >= 0) {
      int afterEnd = lineEnd(text, end);
      return text.substring(0, begin) + block + text.substring(afterEnd);
    }
    if (rules.isEmpty()) {
      return text;
    }
    String sep = text.isEmpty() || text.endsWith("\n") ? "" : eol;
    return text + sep + block;
  }

  /** Start offset of the first line at or after {@code from} whose stripped text is {@code line}. */
  private static int indexOfLine(String text, String line, int from) {
    int start = from;
    while (start <= text.length()) {
      int nl = text.indexOf('\n', start);
      int stop = nl < 0 ? text.length() : nl;
      if (text.substring(start, stop).strip().equals(line)) {
        return start;
      }
      if (nl < 0) {
        return -1;
      }
      start = nl + 1;
    }
    return -1;
  }

  private static int lineEnd(String text, int start) {
    int nl = text.indexOf('\n', start);
    return nl < 0 ? text.length() : nl + 1;
  }
}
