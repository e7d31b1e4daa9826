package io.svirtctl.learn;

/** Writing values into rule text the way apparmor_parser reads them back. */
final class RuleText {

  private RuleText() {}

  /**
   * A path as a rule's path: pattern characters escaped so they match only themselves, and
   * quoted when it holds white space.
   */
  static String path(String path) {
    if (plain(path)) {
      return path;
    }
    StringBuilder b = new StringBuilder(path.length() + 8);
    boolean quote = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      switch (c) {
        case '*', '?', '[', ']', '{', '}', '\\', '"' -> b.append('\\').append(c);
        default -> {
          if (Character.isWhitespace(c)) {
            quote = true;
          }
          b.append(c);
        }
      }
    }
    return quote ? "\"" + b + "\"" : b.toString();
  }

  /** Whether {@code path} holds nothing to escape or quote (most paths). */
  private static boolean plain(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c == '*' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}'
          || c == '\\' || c == '"' || (c > 0x7f && Character.isWhitespace(c))) {
        return false;
      }
    }
    return true;
  }
}
