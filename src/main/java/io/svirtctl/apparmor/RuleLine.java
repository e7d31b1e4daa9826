package io.svirtctl.apparmor;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The check that a rule written in a state file is exactly one AppArmor rule on one line, ending
 * in {@code ,}. svirtctl inserts such rules into profile blocks; a rule that could open or close a
 * block, pull in another file or hide text in a comment could escape the block, so it is refused.
 */
public final class RuleLine {

  /**
   * The word {@code include} anywhere as a word of its own: apparmor_parser 3.0 honours
   * {@code /x r, include <file> /y r,} in the middle of a line and pulls the file in.
   */
  private static final Pattern INCLUDE_WORD =
      Pattern.compile("(?i)(^|[\\s,])#?include(\\s|[<\"]|$)");

  /**
   * What {@link #problem} accepts, as one regular expression for the JSON Schema of the state
   * file (the differential schema test keeps the two in agreement): one line without NUL, braces,
   * '#' or an include word, ending in ','.
   */
  public static final String PATTERN =
      "^(?![\\s\\S]*[\\n\\r\\x00])"
          + "(?![\\s\\S]*(?:^|[\\s,])[iI][nN][cC][lL][uU][dD][eE](?:[\\s<\"]|$))"
          + "[^{}#]*,\\s*$";

  private RuleLine() {}

  /** Why {@code rule} cannot be inserted as one rule line; empty if it can. */
  public static Optional<String> problem(String rule) {
    if (rule.isBlank()) {
      return Optional.of("a rule must not be empty");
    }
    if (rule.indexOf('\n') >= 0 || rule.indexOf('\r') >= 0) {
      return Optional.of("a rule must be one line (no line breaks)");
    }
    if (rule.indexOf('\0') >= 0) {
      return Optional.of("a rule must not contain a NUL character");
    }
    String t = rule.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("#include") || lower.startsWith("include ")
        || lower.startsWith("include<") || lower.startsWith("include\t")
        || INCLUDE_WORD.matcher(t).find()) {
      return Optional.of("include directives are not allowed in rules");
    }
    if (t.indexOf('{') >= 0 || t.indexOf('}') >= 0) {
      return Optional.of("a rule must not contain '{' or '}' (it could open or close a block)");
    }
    if (t.indexOf('#') >= 0) {
      return Optional.of("a rule must not contain '#' (it starts a comment in AppArmor)");
    }
    if (!t.endsWith(",")) {
      return Optional.of("a rule must end with ','");
    }
    return Optional.empty();
  }
}
