package io.svirtctl.apparmor;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the profile headers of an AppArmor policy text and the braces that close their bodies:
 * the header parser over {@link PolicyLexer}'s tokens, not a full parser. It skips comments and
 * line directives ({@code #include}, {@code include}, {@code @{var} = ...}); a rule ends with a
 * word ending in {@code ,}; the words since the last rule end, directive or brace form the header
 * of the next opening brace.
 */
final class ProfileScanner {

  /** First words of blocks that are not profiles (conditionals and rule qualifiers). */
  private static final Set<String> OTHER_BLOCKS =
      Set.of("if", "else", "audit", "owner", "deny", "allow", "quiet", "priority");

  private record Word(String text, int start, int end) {}

  private static final class Open {
    final int headerIndex; // -1 for a block that is not a profile
    final int braceOffset;
    final String path;
    final int depth;

    Open(int headerIndex, int braceOffset, String path, int depth) {
      this.headerIndex = headerIndex;
      this.braceOffset = braceOffset;
      this.path = path;
      this.depth = depth;
    }
  }

  /** A header whose closing brace is not known yet. */
  private record Pending(
      HeaderKind kind,
      String name,
      String path,
      int depth,
      int start,
      Optional<String> attachment,
      List<String> flags,
      int braceEnd,
      Optional<TextRange> flagsClause,
      int flagsInsertAt) {}

  private final String file;
  private final String text;
  private final PolicyLexer lexer;

  ProfileScanner(String file, String text) {
    this.file = file;
    this.text = text;
    this.lexer = new PolicyLexer(file, text);
  }

  List<ProfileHeader> scan() {
    List<Pending> pending = new ArrayList<>();
    List<Integer> closes = new ArrayList<>();
    Deque<Open> open = new ArrayDeque<>();
    List<Word> statement = new ArrayList<>();
    for (Optional<PolicyLexer.Token> next = lexer.next(); next.isPresent(); next = lexer.next()) {
      PolicyLexer.Token token = next.get();
      Word part = new Word(token.text(), token.start(), token.end());
      switch (token.kind()) {
        case COMMENT -> {
          // "#include" is a directive, any other '#' at the start of a word begins a comment.
          if (token.text().startsWith("#include") && !statement.isEmpty()) {
            throw error(token.start(), "#include in the middle of a rule or header");
          }
        }
        case OPEN -> {
          Open parent = open.peek();
          Optional<Pending> header = header(statement, part, parent);
          if (header.isPresent()) {
            pending.add(header.get());
            closes.add(-1);
            open.push(
                new Open(
                    pending.size() - 1, part.start(), header.get().path(), header.get().depth() + 1));
          } else {
            open.push(
                new Open(
                    -1,
                    part.start(),
                    parent == null ? "" : parent.path,
                    parent == null ? 0 : parent.depth));
          }
          statement.clear();
        }
        case CLOSE -> {
          if (open.isEmpty()) {
            throw error(part.start(), "'}' closes no block");
          }
          Open closed = open.pop();
          if (closed.headerIndex >= 0) {
            closes.set(closed.headerIndex, part.start());
          }
        }
        case WORD -> {
          if (statement.isEmpty() && isLineDirective(part)) {
            lexer.skipLine(token.wordStart());
          } else {
            statement.add(part);
            if (part.text().endsWith(",")) {
              statement.clear();
            }
          }
        }
        default -> throw new IllegalStateException("unhandled token " + token.kind());
      }
    }
    if (!open.isEmpty()) {
      throw error(open.peek().braceOffset, "'{' is never closed");
    }
    if (pending.isEmpty()) {
      throw new InvalidInputException(SourceLocation.ofFile(file), "no profile header found");
    }
    List<ProfileHeader> headers = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      headers.add(
          new ProfileHeader(
              p.kind(),
              p.name(),
              p.path(),
              p.depth(),
              lexer.lines().line(p.start()),
              lexer.lines().column(p.start()),
              p.attachment(),
              p.flags(),
              new TextRange(p.start(), p.braceEnd()),
              p.flagsClause(),
              p.flagsInsertAt(),
              closes.get(i)));
    }
    return headers;
  }

  /** The header an opening brace starts, or empty for a conditional or qualifier block. */
  private Optional<Pending> header(List<Word> words, Word brace, Open parent) {
    if (words.isEmpty()) {
      throw error(brace.start(), "'{' without a profile header");
    }
    Word first = words.get(0);
    String t = first.text();
    int next;
    HeaderKind kind;
    String name;
    if (t.equals("profile") || t.equals("hat")) {
      if (words.size() < 2) {
        throw error(first.start(), "'" + t + "' without a name");
      }
      kind = t.equals("hat") ? HeaderKind.HAT : HeaderKind.PROFILE;
      name = unquote(words.get(1));
      next = 2;
    } else if (t.startsWith("^")) {
      kind = HeaderKind.HAT;
      if (t.length() > 1) {
        name = unquote(new Word(t.substring(1), first.start() + 1, first.end()));
        next = 1;
      } else if (words.size() >= 2) {
        name = unquote(words.get(1));
        next = 2;
      } else {
        throw error(first.start(), "'^' without a hat name");
      }
    } else if (t.startsWith("/") || t.startsWith("\"/") || t.startsWith("@{") || t.startsWith(":")) {
      kind = HeaderKind.PATH;
      name = unquote(first);
      next = 1;
    } else if (OTHER_BLOCKS.contains(t)) {
      return Optional.empty();
    } else {
      throw error(
          first.start(),
          "profile names must begin with '/', '@{', a namespace ':ns:' or the keyword 'profile'"
              + " or 'hat' (found '"
              + t
              + "')");
    }
    Optional<String> attachment = Optional.empty();
    if (next < words.size() && !isClauseStart(words.get(next).text())) {
      attachment = Optional.of(words.get(next).text());
      next++;
    }
    Optional<TextRange> flagsClause = Optional.empty();
    List<String> flags = List.of();
    boolean xattrs = false;
    int insertAt = words.get(next - 1).end();
    while (next < words.size()) {
      Word w = words.get(next);
      int end = clauseEnd(words, next);
      TextRange clause = new TextRange(w.start(), words.get(end - 1).end());
      String clauseText = text.substring(clause.start(), clause.end());
      if (clauseText.startsWith("xattrs") && !xattrs) {
        xattrs = true;
        if (flagsClause.isEmpty()) {
          insertAt = clause.end();
        }
      } else if ((clauseText.startsWith("flags") || clauseText.startsWith("("))
          && flagsClause.isEmpty()) {
        flagsClause = Optional.of(clause);
        flags = flagList(clauseText, w.start());
      } else {
        throw error(w.start(), "unexpected '" + w.text() + "' in profile header");
      }
      next = end;
    }
    String path = parent == null || parent.path.isEmpty() ? name : parent.path + "//" + name;
    int depth = parent == null ? 0 : parent.depth;
    return Optional.of(
        new Pending(
            kind,
            name,
            path,
            depth,
            first.start(),
            attachment,
            flags,
            brace.end(),
            flagsClause,
            insertAt));
  }

  private static boolean isClauseStart(String w) {
    return w.startsWith("flags") || w.startsWith("xattrs") || w.startsWith("(") || w.startsWith("=");
  }

  /**
   * The index after the last word of the clause starting at {@code from}: {@code key=(...)},
   * {@code key = ( ... )}, {@code key=} {@code (...)}, or a bare {@code (...)}.
   */
  private int clauseEnd(List<Word> words, int from) {
    int i = from;
    while (i < words.size()) {
      String w = words.get(i).text();
      i++;
      if (w.endsWith(")")) {
        return i;
      }
      if (!(w.equals("=") || w.endsWith("=") || w.equals("flags") || w.equals("xattrs"))) {
        throw error(words.get(i - 1).start(), "unexpected '" + w + "' in profile header");
      }
    }
    throw error(words.get(from).start(), "incomplete '" + words.get(from).text() + "' clause");
  }

  private List<String> flagList(String clause, int offset) {
    int open = clause.indexOf('(');
    int close = clause.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw error(offset, "flag list without parentheses");
    }
    String head = clause.substring(0, open).replaceAll("\\s", "");
    if (!head.isEmpty() && !head.equals("flags=")) {
      throw error(offset, "unexpected '" + head + "' before a flag list");
    }
    String inner = clause.substring(open + 1, close).trim();
    if (inner.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(inner.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
  }

  private boolean isLineDirective(Word w) {
    String t = w.text();
    if (t.equals("include") || t.equals("#include")) {
      return true;
    }
    if (!t.startsWith("@{")) {
      return false;
    }
    int close = t.indexOf('}');
    if (close > 0 && t.indexOf('=', close) > 0) {
      return true;
    }
    int i = w.end();
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return text.startsWith("=", i) || text.startsWith("+=", i);
  }

  private static String unquote(Word w) {
    String t = w.text();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      return t.substring(1, t.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return t;
  }

  private InvalidInputException error(int offset, String message) {
    return lexer.error(offset, message);
  }
}
