package io.svirtctl.apparmor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Splits one rule line into tokens the way apparmor_parser 3.0.8's scanner reads a profile body,
 * as far as it matters for where the rule ends: quoted strings, words (paths with
 * {@code {…}} alternations, {@code @{VAR}} references, {@code […]} classes and {@code \} escapes),
 * parenthesised lists, {@code ->}, and the {@code ,} that ends the rule. What follows that
 * {@code ,} may only be a comment.
 */
final class RuleLexer {

  /** Token types. */
  enum Type { WORD, QUOTED, OPEN_PAREN, CLOSE_PAREN, LIST_COMMA, ARROW, EQUALS, LESS_EQUAL }

  /** One token; {@code text} is a quoted string's content without the quotes. */
  record Token(Type type, String text) {

    boolean isWord(String word) {
      return type == Type.WORD && text.equals(word);
    }
  }

  /** The statement's tokens (without its {@code ,}) and the comment after it, as written. */
  record Lexed(List<Token> tokens, String statement, Optional<String> comment) {}

  /** Qualifiers that may precede a rule. */
  static final Set<String> QUALIFIERS = Set.of("audit", "deny", "allow", "owner", "other");

  private final String s;
  private int pos;
  private int parens;
  private boolean kindKnown;
  private boolean wordsContinue;
  private final List<Token> tokens = new ArrayList<>();

  private RuleLexer(String s) {
    this.s = s;
  }

  /** Lexes a rule without surrounding blanks that is not an include directive. */
  static Lexed lex(String rule) {
    return new RuleLexer(rule).run();
  }

  private Lexed run() {
    while (true) {
      skipBlanks();
      if (pos >= s.length()) {
        throw new InvalidRuleException(parens > 0
            ? "unclosed '(' in the rule"
            : "a rule must end with ',' (followed by nothing or a comment)");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '#' -> throw new InvalidRuleException(
            "'#' before the rule's ',' starts a comment that hides the rest of the line;"
                + " the rule would continue on the next line (put the comment after the ',')");
        case '"' -> quoted();
        case '(' -> {
          parens++;
          pos++;
          tokens.add(new Token(Type.OPEN_PAREN, "("));
        }
        case ')' -> {
          if (parens == 0) {
            throw new InvalidRuleException("')' without '(' in the rule");
          }
          parens--;
          pos++;
          tokens.add(new Token(Type.CLOSE_PAREN, ")"));
        }
        case '{' -> throw new InvalidRuleException(
            "'{' outside a path or value opens a block; only a whole rule may be declared");
        case '}' -> throw new InvalidRuleException(
            "'}' outside a path or value closes the profile block");
        case '^' -> throw new InvalidRuleException("'^' starts a hat (a block of its own)");
        case '!' -> throw new InvalidRuleException("'!' outside a quoted string is not allowed in a rule");
        case ',' -> {
          if (parens > 0) {
            pos++;
            tokens.add(new Token(Type.LIST_COMMA, ","));
          } else {
            return end();
          }
        }
        default -> other(c);
      }
    }
  }

  private void other(char c) {
    if (s.startsWith("->", pos)) {
      pos += 2;
      tokens.add(new Token(Type.ARROW, "->"));
    } else if (s.startsWith("<=", pos)) {
      pos += 2;
      tokens.add(new Token(Type.LESS_EQUAL, "<="));
    } else if (c == '=' || s.startsWith("+=", pos)) {
      pos += c == '=' ? 1 : 2;
      tokens.add(new Token(Type.EQUALS, "="));
    } else {
      word();
    }
  }

  /** After the rule's {@code ,}: nothing, or a comment that is not an include. */
  private Lexed end() {
    String statement = s.substring(0, pos + 1);
    pos++;
    skipBlanks();
    String rest = s.substring(pos);
    if (rest.isEmpty()) {
      return new Lexed(tokens, statement, Optional.empty());
    }
    if (rest.startsWith("#")) {
      return new Lexed(tokens, statement, Optional.of(comment(rest)));
    }
    if (rest.startsWith("}")) {
      throw new InvalidRuleException("'}' after the rule's ',' would close the profile block");
    }
    throw new InvalidRuleException(
        "a second rule after the ',' ('" + rest + "'); declare one rule per list item");
  }

  /** A comment after a rule, refused when apparmor_parser would read it as an include. */
  static String comment(String comment) {
    if (comment.startsWith("#include")) {
      throw new InvalidRuleException(
          "a comment starting with '#include' is an include directive for apparmor_parser"
              + " (write '# include' to keep it a comment)");
    }
    return comment;
  }

  private void quoted() {
    int start = pos;
    int close = -1;
    for (int i = start + 1; i < s.length(); i++) {
      if (s.charAt(i) == '"' && s.charAt(i - 1) != '\\') {
        close = i;
        break;
      }
    }
    if (close < 0) {
      throw new InvalidRuleException(
          "unterminated quoted string (a '\"' after '\\' does not end it);"
              + " apparmor_parser would read on into the next lines");
    }
    String content = s.substring(start + 1, close);
    checkGroups(content);
    tokens.add(new Token(Type.QUOTED, content));
    pos = close + 1;
    noteKind(content, true);
  }

  private void word() {
    int start = pos;
    boolean path = isPathStart(s.charAt(pos));
    boolean continues = parens == 0 && (path || wordsContinue);
    int i = pos;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '"' || c == '!') {
        break;
      }
      if (c == '\\') {
        i = Math.min(i + 2, s.length());
        continue;
      }
      if (c == ',') {
        if (continues && i + 1 < s.length() && continuesWord(s.charAt(i + 1))) {
          i++;
          continue;
        }
        break;
      }
      if ((c == '(' || c == ')') && (parens > 0 || !path)) {
        break;
      }
      i++;
    }
    String text = s.substring(start, i);
    checkGroups(text);
    tokens.add(new Token(Type.WORD, text));
    pos = i;
    noteKind(text, false);
  }

  /** Once the first word after the qualifiers is read, the rule's kind decides how words continue. */
  private void noteKind(String text, boolean quoted) {
    if (kindKnown || (!quoted && QUALIFIERS.contains(text))) {
      return;
    }
    kindKnown = true;
    wordsContinue = !quoted && RuleKind.ofKeyword(text).map(RuleKind::wordsContinueOverCommas).orElse(false);
  }

  private static boolean isPathStart(char c) {
    return c == '/' || c == '@' || c == ':' || c == '&';
  }

  /** A character that, after a {@code ,}, keeps apparmor_parser inside the same word. */
  private static boolean continuesWord(char c) {
    return c != ' ' && c != '\t' && c != '"' && c != '!' && c != ',';
  }

  /**
   * Checks the {@code {…}} alternations, {@code @{VAR}} references and {@code […]} classes of a
   * word: balanced, and each alternation with at least two alternatives (apparmor_parser refuses
   * {@code {a}} and {@code {}}).
   */
  static void checkGroups(String word) {
    Deque<int[]> open = new ArrayDeque<>();
    int i = 0;
    while (i < word.length()) {
      char c = word.charAt(i);
      if (c == '\\') {
        if (i + 1 < word.length() && (word.charAt(i + 1) == '{' || word.charAt(i + 1) == '}')) {
          // apparmor_parser takes it as a literal brace, but svirtctl finds profile blocks by
          // their braces and would take it for one.
          throw new InvalidRuleException("an escaped brace is refused in '" + word
              + "' (svirtctl finds profile blocks by their braces); write it as a class: '[{]' or '[}]'");
        }
        i += 2;
        continue;
      }
      if (c == '[') {
        int close = word.indexOf(']', i + 2);
        if (close < 0) {
          throw new InvalidRuleException("unclosed '[' in '" + word + "'");
        }
        i = close + 1;
        continue;
      }
      if (c == '@' && i + 1 < word.length() && word.charAt(i + 1) == '{') {
        int close = word.indexOf('}', i + 2);
        String name = close < 0 ? "" : word.substring(i + 2, close);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new InvalidRuleException("a variable reference is '@{NAME}' (letters, digits, '_'): '" + word + "'");
        }
        i = close + 1;
        continue;
      }
      if (c == '{') {
        open.push(new int[] {i, 0});
      } else if (c == ',' && !open.isEmpty()) {
        open.peek()[1]++;
      } else if (c == '}') {
        if (open.isEmpty()) {
          throw new InvalidRuleException("'}' without a matching '{' in '" + word + "'");
        }
        if (open.pop()[1] == 0) {
          throw new InvalidRuleException(
              "an alternation needs at least two alternatives ('{a,b}', or '{,a}' for an empty one): '"
                  + word + "'");
        }
      }
      i++;
    }
    if (!open.isEmpty()) {
      throw new InvalidRuleException(
          "unclosed '{' in '" + word + "' (inside '{…}' a ',' must not be followed by a blank)");
    }
  }

  private void skipBlanks() {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
  }
}
