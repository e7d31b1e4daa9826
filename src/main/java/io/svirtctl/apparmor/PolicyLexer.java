package io.svirtctl.apparmor;

import io.svirtctl.InvalidInputException;
import io.svirtctl.LineIndex;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Splits an AppArmor policy text into words, block braces and comments, as the parser's lexer
 * sees them where svirtctl needs it: a quoted string and a parenthesised group are part of one
 * word (so {@code flags=(a, b)} is one word), a {@code #} at the start of a word runs to the end
 * of the line, and only a word that is exactly {@code {} or {@code }} (or one glued to the end of
 * a word whose own braces balance) is a block brace, so glob alternations such as {@code
 * /{usr/,}lib} never count.
 */
final class PolicyLexer {

  /** What a token is. */
  enum Kind {
    WORD,
    OPEN,
    CLOSE,
    /** From a {@code #} at the start of a word to the end of its line ({@code #include} too). */
    COMMENT
  }

  /**
   * One token: its text and offsets; {@code wordStart} is where the whitespace-separated word it
   * came from starts (a brace split off a word shares the word's start).
   */
  record Token(Kind kind, String text, int start, int end, int wordStart) {}

  private final String file;
  private final String text;
  private final LineIndex lines;
  private final Deque<Token> split = new ArrayDeque<>();
  private int pos;

  PolicyLexer(String file, String text) {
    this.file = file;
    this.text = text;
    this.lines = LineIndex.of(text);
  }

  String text() {
    return text;
  }

  LineIndex lines() {
    return lines;
  }

  /** The next token, or empty at the end of the text. */
  Optional<Token> next() {
    if (!split.isEmpty()) {
      return Optional.of(split.poll());
    }
    int n = text.length();
    while (pos < n && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    if (pos >= n) {
      return Optional.empty();
    }
    int start = pos;
    if (text.charAt(pos) == '#') {
      skipLine(pos);
      return Optional.of(new Token(Kind.COMMENT, text.substring(start, pos).stripTrailing(), start, pos, start));
    }
    readWord();
    splitBraces(start, pos);
    return Optional.of(split.poll());
  }

  /**
   * Drops the rest of the line {@code from} is on (a line directive such as {@code include} or
   * {@code @{var} = ...}), with any token still pending from the current word.
   */
  void skipLine(int from) {
    split.clear();
    int nl = text.indexOf('\n', from);
    pos = nl < 0 ? text.length() : nl + 1;
  }

  InvalidInputException error(int offset, String message) {
    return new InvalidInputException(lines.location(file, offset), message);
  }

  /** Queues a word, with a brace glued to its end split off. */
  private void splitBraces(int start, int end) {
    String t = text.substring(start, end);
    if (t.length() > 1 && t.endsWith("{") && count(t, '{') == count(t, '}') + 1) {
      split.add(new Token(Kind.WORD, t.substring(0, t.length() - 1), start, end - 1, start));
      split.add(new Token(Kind.OPEN, "{", end - 1, end, start));
    } else if (t.length() > 1 && t.endsWith("}") && count(t, '}') == count(t, '{') + 1) {
      split.add(new Token(Kind.WORD, t.substring(0, t.length() - 1), start, end - 1, start));
      split.add(new Token(Kind.CLOSE, "}", end - 1, end, start));
    } else {
      Kind kind = t.equals("{") ? Kind.OPEN : t.equals("}") ? Kind.CLOSE : Kind.WORD;
      split.add(new Token(kind, t, start, end, start));
    }
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  private void readWord() {
    int start = pos;
    int parens = 0;
    int n = text.length();
    while (pos < n) {
      char c = text.charAt(pos);
      if (c == '"') {
        int q = pos;
        pos++;
        while (pos < n && text.charAt(pos) != '"') {
          if (text.charAt(pos) == '\\') {
            pos++;
          } else if (text.charAt(pos) == '\n') {
            throw error(q, "unterminated quoted string");
          }
          pos++;
        }
        if (pos >= n) {
          throw error(q, "unterminated quoted string");
        }
        pos++;
        continue;
      }
      if (c == '(') {
        parens++;
      } else if (c == ')' && parens > 0) {
        parens--;
      } else if (parens == 0 && Character.isWhitespace(c)) {
        break;
      }
      pos++;
    }
    if (parens > 0) {
      throw error(start, "'(' is never closed");
    }
  }
}
