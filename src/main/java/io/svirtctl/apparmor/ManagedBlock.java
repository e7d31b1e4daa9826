package io.svirtctl.apparmor;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The svirtctl managed rule block of one profile: the marker lines and the rule lines between
 * them, found only in the profile's own body (not in its hats or children).
 *
 * @param range from the start of the BEGIN line to the end of the END line, its line end included
 * @param rules the non-blank lines between the markers, stripped
 */
record ManagedBlock(TextRange range, List<String> rules) {

  static final String BEGIN = "# BEGIN svirtctl managed rules";
  static final String END = "# END svirtctl managed rules";

  ManagedBlock {
    rules = List.copyOf(rules);
  }

  /** The block of {@code profile}, empty when it has none. */
  static Optional<ManagedBlock> find(
      String file, String text, ProfileHeader profile, List<ProfileHeader> all) {
    int from = profile.header().end();
    int to = profile.closeBrace();
    int lineNo = 0;
    int begin = -1;
    int beginLine = 0;
    List<String> rules = new ArrayList<>();
    Optional<ManagedBlock> found = Optional.empty();
    int lineStart = text.lastIndexOf('\n', from - 1) + 1;
    lineNo = lineNumber(text, lineStart) - 1;
    while (lineStart < to) {
      int nl = text.indexOf('\n', lineStart);
      int lineEnd = nl < 0 ? text.length() : nl + 1;
      lineNo++;
      String content = text.substring(Math.max(lineStart, from), Math.min(lineEnd, to)).strip();
      if (!insideChild(lineStart, profile, all)) {
        if (content.equals(BEGIN)) {
          if (begin >= 0 || found.isPresent()) {
            throw error(file, lineNo, "second '" + BEGIN + "' in profile " + profile.name());
          }
          begin = lineStart;
          beginLine = lineNo;
          rules.clear();
        } else if (content.equals(END)) {
          if (begin < 0) {
            throw error(file, lineNo, "'" + END + "' without a BEGIN line before it");
          }
          found = Optional.of(new ManagedBlock(new TextRange(begin, lineEnd), rules));
          begin = -1;
        } else if (begin >= 0 && !content.isEmpty()) {
          rules.add(content);
        }
      }
      lineStart = lineEnd;
    }
    if (begin >= 0) {
      throw error(file, beginLine, "'" + BEGIN + "' without an END line in profile " + profile.name());
    }
    return found;
  }

  private static boolean insideChild(int offset, ProfileHeader profile, List<ProfileHeader> all) {
    for (ProfileHeader h : all) {
      if (h != profile
          && h.header().start() > profile.header().start()
          && h.closeBrace() < profile.closeBrace()
          && offset >= h.header().start()
          && offset <= h.closeBrace()) {
        return true;
      }
    }
    return false;
  }

  private static int lineNumber(String text, int offset) {
    int n = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static InvalidInputException error(String file, int line, String message) {
    return new InvalidInputException(new SourceLocation(file, line, 1), message);
  }

  /** The block's text: marker lines and one line per rule, each indented and ended. */
  static String render(List<String> rules, String indent, String eol) {
    StringBuilder b = new StringBuilder();
    b.append(indent).append(BEGIN).append(eol);
    for (String r : rules) {
      b.append(indent).append(r).append(eol);
    }
    b.append(indent).append(END).append(eol);
    return b.toString();
  }
}
