package io.svirtctl.apparmor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A path pattern of an AppArmor rule, matched as apparmor_parser matches it: {@code *} is any run
 * of characters within one path component, {@code **} any run including {@code /}, {@code ?} one
 * character other than {@code /}, {@code [...]} and {@code [^...]} character classes, {@code
 * {a,b}} alternation (nested), {@code @{VAR}} a variable's values, {@code \} escapes the next
 * character.
 */
public final class AppArmorGlob {

  /** Variables referring to variables this deep are refused (cycles). */
  private static final int MAX_DEPTH = 16;

  /** A pattern expanding to more alternatives than this is refused. */
  private static final int MAX_ALTERNATIVES = 4096;

  private final String text;
  private final Pattern pattern;

  private AppArmorGlob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  /**
   * The glob of {@code text} with {@code variables} (name without {@code @{ }}, to values), or
   * empty when it is not a well-formed pattern (unbalanced brackets, unknown variable).
   */
  public static Optional<AppArmorGlob> compile(String text, Map<String, List<String>> variables) {
    List<String> expanded = new ArrayList<>();
    if (!expand(text, variables, expanded, 0)) {
      return Optional.empty();
    }
    StringBuilder regex = new StringBuilder();
    for (String alternative : expanded) {
      if (regex.length() > 0) {
        regex.append('|');
      }
      regex.append("(?:");
      // apparmor_parser treats a run of slashes as one: @{HOMEDIRS}/ with HOMEDIRS=/home/.
      if (!translate(alternative.replaceAll("/{2,}", "/"), regex)) {
        return Optional.empty();
      }
      regex.append(')');
    }
    return Optional.of(new AppArmorGlob(text, Pattern.compile(regex.toString(), Pattern.DOTALL)));
  }

  /**
   * Replaces the first variable by each of its values, recursively, so that every alternative
   * is variable-free. False on an unknown variable, a cycle or too many alternatives.
   */
  private static boolean expand(
      String s, Map<String, List<String>> vars, List<String> out, int depth) {
    int at = variableAt(s);
    if (at < 0) {
      out.add(s);
      return out.size() <= MAX_ALTERNATIVES;
    }
    int close = s.indexOf('}', at + 2);
    if (close < 0 || depth > MAX_DEPTH) {
      return false;
    }
    List<String> values = vars.get(s.substring(at + 2, close));
    if (values == null || values.isEmpty()) {
      return false;
    }
    for (String v : values) {
      if (!expand(s.substring(0, at) + v + s.substring(close + 1), vars, out, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  /** Index of the first unescaped {@code @{}, or -1. */
  private static int variableAt(String s) {
    for (int i = 0; i + 1 < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '@' && s.charAt(i + 1) == '{') {
        return i;
      }
    }
    return -1;
  }

  /** Whether the whole of {@code path} matches. */
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }

  @Override
  public String toString() {
    return text;
  }

  private static boolean translate(String s, StringBuilder out) {
    int braces = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      switch (c) {
        case '\\':
          if (i + 1 >= s.length()) {
            return false;
          }
          literal(s.charAt(i + 1), out);
          i += 2;
          continue;
        case '*':
          if (i + 1 < s.length() && s.charAt(i + 1) == '*') {
            out.append("[^\\x00]*");
            while (i < s.length() && s.charAt(i) == '*') {
              i++;
            }
          } else {
            out.append("[^/\\x00]*");
            i++;
          }
          continue;
        case '?':
          out.append("[^/\\x00]");
          i++;
          continue;
        case '[':
          int end = classEnd(s, i);
          if (end < 0) {
            return false;
          }
          charClass(s.substring(i + 1, end), out);
          i = end + 1;
          continue;
        case '{':
          braces++;
          out.append("(?:");
          i++;
          continue;
        case ',':
          if (braces > 0) {
            out.append('|');
          } else {
            literal(c, out);
          }
          i++;
          continue;
        case '}':
          if (braces == 0) {
            return false;
          }
          braces--;
          out.append(')');
          i++;
          continue;
        default:
          literal(c, out);
          i++;
      }
    }
    return braces == 0;
  }

  /** Index of the {@code ]} closing the class opened at {@code open}, or -1. */
  private static int classEnd(String s, int open) {
    int i = open + 1;
    if (i < s.length() && s.charAt(i) == '^') {
      i++;
    }
    if (i < s.length() && s.charAt(i) == ']') {
      i++;
    }
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == ']') {
        return i;
      }
      i++;
    }
    return -1;
  }

  private static void charClass(String body, StringBuilder out) {
    out.append('[');
    int i = 0;
    if (body.startsWith("^")) {
      out.append('^');
      i = 1;
    }
    for (; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        i++;
        c = body.charAt(i);
        out.append('\\').append(c);
      } else if (c == '-') {
        out.append('-');
      } else if (Character.isLetterOrDigit(c)) {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    out.append(']');
  }

  private static void literal(char c, StringBuilder out) {
    if (Character.isLetterOrDigit(c) || c == '/' || c == '_') {
      out.append(c);
    } else {
      out.append(Pattern.quote(String.valueOf(c)));
    }
  }
}
