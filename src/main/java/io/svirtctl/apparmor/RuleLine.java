package io.svirtctl.apparmor;

import io.svirtctl.apparmor.RuleLexer.Token;
import io.svirtctl.apparmor.RuleLexer.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule written in a state file as exactly one AppArmor rule on one line, as
 * apparmor_parser 3.0.8 reads a profile body: the rule's tokens up to the {@code ,} that ends it,
 * then nothing or a comment. svirtctl inserts such rules into profile blocks, so anything that
 * could open or close a block, pull in a file from elsewhere, hide text in a comment or run on
 * into the next line is refused with the reason. Which files an {@code include} names is checked
 * against a host's tree by {@link IncludeCheck}, where a root is known.
 */
public final class RuleLine {

  /**
   * A JSON Schema (ECMA-262) pattern for a rule string that catches the common mistakes: a line
   * break, a missing {@code ,}, a rule that is only a comment or starts a block, an include not
   * in angle brackets, a second rule after the first {@code ,} (a comma may stand only inside a
   * quoted name, parentheses or an alternation, two levels deep), a comment before the {@code ,}
   * (a {@code #} after a blank). The lexer stays the authority.
   */
  public static final String SCHEMA_PATTERN =
      "^[ \\t]*(?:(?:#include[ \\t]*|include[ \\t]+)(?:if[ \\t]+exists[ \\t]+)?<[^<>\"\\s/][^<>\"\\s]*>"
          + "|(?![#{}^,])(?:[^,(){}\"#\\n\\r\\u0000\\u000b\\u000c\\u0085\\u2028\\u2029]|(?<![ \\t])#"
          + "|\"[^\"\\n\\r]*\""
          + "|\\([^()\\n\\r]*\\)|\\{(?:[^{}\\n\\r]|\\{[^{}\\n\\r]*\\})*\\})*,)"
          + "(?:[ \\t]*#(?!include)[^\\n\\r\\u0000\\u000b\\u000c\\u0085\\u2028\\u2029]*)?[ \\t]*$";

  /** Letters of file permissions. */
  private static final String PERMISSION_LETTERS = "rwaklmixpcuRWLMKXPCIU";

  private static final Pattern INCLUDE_NAME = Pattern.compile("[A-Za-z0-9_+.@-]+(/[A-Za-z0-9_+.@-]+)*");

  private static final Pattern BLANKS = Pattern.compile("[ \\t]+");
  private static final Pattern VARIABLE_DEFINITION = Pattern.compile("^[@$]\\{?[A-Za-z0-9_]*\\}?[ \t]*\\+?=.*");

  /** Words that only ever start a block or belong in a profile's preamble. */
  private static final Set<String> BLOCK_WORDS = Set.of("profile", "hat");

  private static final String UNCONFINED = "unconfined";

  private RuleLine() {}

  /** Why {@code rule} cannot be inserted as one rule line; empty if it can. */
  public static Optional<String> problem(String rule) {
    try {
      parse(rule);
      return Optional.empty();
    } catch (InvalidRuleException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Reads one rule.
   *
   * @throws InvalidRuleException saying why the text is not exactly one insertable rule
   */
  public static Rule parse(String raw) {
    characters(raw);
    String text = strip(raw);
    if (text.isEmpty()) {
      throw new InvalidRuleException("a rule must not be empty");
    }
    if (text.startsWith("#include") || startsWithWord(text, "include")) {
      return include(text);
    }
    if (text.startsWith("#")) {
      throw new InvalidRuleException("a rule must not be only a comment");
    }
    if ((text.charAt(0) == '@' || text.charAt(0) == '$')
        && VARIABLE_DEFINITION.matcher(text).matches()) {
      throw new InvalidRuleException("variable definitions belong in a profile's preamble or tunables, not in a rule");
    }
    RuleLexer.Lexed lexed = RuleLexer.lex(text);
    List<Token> tokens = lexed.tokens();
    int first = 0;
    while (first < tokens.size() && tokens.get(first).type() == Type.WORD
        && RuleLexer.QUALIFIERS.contains(tokens.get(first).text())) {
      first++;
    }
    RuleKind kind = kind(tokens, first);
    boolean deny = tokens.subList(0, first).stream().anyMatch(t -> t.isWord("deny"));
    Optional<String> leaves = deny ? Optional.empty() : leavesConfinement(kind, tokens, first);
    return new Rule(text, blanksCollapsed(lexed.statement()), kind, lexed.comment(), Optional.empty(), leaves);
  }

  private static void characters(String raw) {
    // One pass; a line break is reported before any other character.
    int control = -1;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (isLineBreak(c)) {
        throw new InvalidRuleException("a rule must be one line (no line breaks)");
      }
      if (control < 0 && ((c < 0x20 && c != '\t') || c == 0x7f)) {
        control = i;
      }
    }
    if (control >= 0) {
      char c = raw.charAt(control);
      if (c == '\0') {
        throw new InvalidRuleException("a rule must not contain a NUL character");
      }
      throw new InvalidRuleException(String.format("a rule must not contain the control character U+%04X", (int) c));
    }
  }

  private static String strip(String raw) {
    int from = 0;
    int to = raw.length();
    while (from < to && isBlank(raw.charAt(from))) {
      from++;
    }
    while (to > from && isBlank(raw.charAt(to - 1))) {
      to--;
    }
    return raw.substring(from, to);
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean startsWithWord(String text, String word) {
    return text.startsWith(word) && (text.length() == word.length() || !isWordChar(text.charAt(word.length())));
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** {@code include <name>}, {@code include if exists <name>}, or either spelt {@code #include}. */
  private static Rule include(String text) {
    int i;
    if (text.startsWith("#include")) {
      i = "#include".length();
    } else {
      i = "include".length();
      if (i >= text.length() || !isBlank(text.charAt(i))) {
        throw new InvalidRuleException("write 'include <name>' with a blank after 'include'");
      }
    }
    i = skipBlanks(text, i);
    boolean ifExists = false;
    if (text.startsWith("if", i) && i + 2 < text.length() && isBlank(text.charAt(i + 2))) {
      int j = skipBlanks(text, i + 2);
      if (text.startsWith("exists", j) && j + 6 < text.length() && isBlank(text.charAt(j + 6))) {
        ifExists = true;
        i = skipBlanks(text, j + 6);
      }
    }
    if (i < text.length() && text.charAt(i) == '"') {
      throw new InvalidRuleException("an include by quoted path is refused; name a file under /etc/apparmor.d"
          + " in angle brackets, like 'include <abstractions/base>'");
    }
    if (i < text.length() && text.charAt(i) == '/') {
      throw new InvalidRuleException("an include by absolute path is refused; name a file under /etc/apparmor.d"
          + " in angle brackets, like 'include <abstractions/base>'");
    }
    if (i >= text.length() || text.charAt(i) != '<') {
      throw new InvalidRuleException(
          "an include must name a file under /etc/apparmor.d in angle brackets, like 'include <abstractions/base>'"
              + " (absolute, quoted and bare paths are refused)");
    }
    int close = text.indexOf('>', i);
    if (close < 0) {
      throw new InvalidRuleException("unclosed '<' in the include");
    }
    String name = text.substring(i + 1, close);
    includeName(name);
    int rest = skipBlanks(text, close + 1);
    Optional<String> comment = Optional.empty();
    if (rest < text.length()) {
      if (text.charAt(rest) != '#') {
        throw new InvalidRuleException(
            "a second rule after the include ('" + text.substring(rest) + "'); declare one rule per list item");
      }
      comment = Optional.of(RuleLexer.comment(text.substring(rest)));
    }
    String statement = blanksCollapsed(text.substring(0, close + 1).replaceFirst("^#include", "include"));
    return new Rule(text, statement, RuleKind.INCLUDE, comment,
        Optional.of(new IncludeTarget(name, ifExists)), Optional.empty());
  }

  private static void includeName(String name) {
    if (name.startsWith("\"")) {
      throw new InvalidRuleException("an include by quoted path is refused; write 'include <" + name.replace("\"", "") + ">'");
    }
    if (name.startsWith("/")) {
      throw new InvalidRuleException("an include by absolute path is refused; name a file under /etc/apparmor.d");
    }
    if (!INCLUDE_NAME.matcher(name).matches()) {
      throw new InvalidRuleException(
          "an include names a relative path of letters, digits and '._+@-' separated by '/': '" + name + "'");
    }
    for (String segment : name.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new InvalidRuleException("an include must not contain '" + segment + "': '" + name + "'");
      }
    }
  }

  private static int skipBlanks(String text, int from) {
    int i = from;
    while (i < text.length() && isBlank(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static RuleKind kind(List<Token> tokens, int first) {
    if (first == tokens.size()) {
      throw new InvalidRuleException("a qualifier alone is not a rule");
    }
    for (Token t : tokens) {
      if (t.isWord("include")) {
        throw new InvalidRuleException("'include' inside a rule pulls in a file; declare an include as a rule of its own");
      }
      if (t.type() == Type.WORD && t.text().startsWith("$")) {
        throw new InvalidRuleException("boolean variables and conditionals are not rules");
      }
    }
    Token t = tokens.get(first);
    if (t.type() == Type.QUOTED) {
      return fileRule(tokens, first);
    }
    if (t.type() != Type.WORD) {
      throw new InvalidRuleException("a rule cannot start with '" + t.text() + "'");
    }
    String w = t.text();
    if (w.startsWith("@") && first + 1 < tokens.size() && tokens.get(first + 1).type() == Type.EQUALS) {
      throw new InvalidRuleException("variable definitions belong in a profile's preamble or tunables, not in a rule");
    }
    if (w.startsWith("/") || w.startsWith("@") || w.startsWith(":") || w.startsWith("&")) {
      return fileRule(tokens, first);
    }
    if (BLOCK_WORDS.contains(w)) {
      throw new InvalidRuleException("'" + w + "' opens a block of its own; only rules may be declared");
    }
    switch (w) {
      case "alias" -> throw new InvalidRuleException("alias rules belong in a profile's preamble, not in a rule");
      case "abi" -> throw new InvalidRuleException("abi rules belong in a profile's preamble, not in a rule");
      case "if", "else" -> throw new InvalidRuleException("conditionals open a block; only rules may be declared");
      case "set" -> {
        if (first + 1 < tokens.size() && tokens.get(first + 1).isWord("rlimit")) {
          return RuleKind.RLIMIT;
        }
        throw new InvalidRuleException("'set' starts only 'set rlimit NAME <= VALUE,'");
      }
      case "file" -> {
        return fileRule(tokens, first);
      }
      default -> { }
    }
    Optional<RuleKind> kind = RuleKind.ofKeyword(w);
    if (kind.isPresent()) {
      return kind.get() == RuleKind.LINK ? fileRule(tokens, first) : kind.get();
    }
    if (isPermissions(w)) {
      return fileRule(tokens, first);
    }
    throw new InvalidRuleException("unknown rule kind '" + w + "' (expected a path, permissions, or one of: "
        + String.join(", ", RuleKind.keywords()) + ")");
  }

  /** File and link rules are read in apparmor_parser's main mode, where block keywords are live. */
  private static RuleKind fileRule(List<Token> tokens, int first) {
    for (Token t : tokens.subList(first, tokens.size())) {
      if (t.type() == Type.WORD && BLOCK_WORDS.contains(t.text())) {
        throw new InvalidRuleException("'" + t.text() + "' opens a block of its own; only rules may be declared");
      }
    }
    return tokens.get(first).isWord("link") ? RuleKind.LINK : RuleKind.FILE;
  }

  private static Optional<String> leavesConfinement(RuleKind kind, List<Token> tokens, int first) {
    if (kind == RuleKind.FILE) {
      for (Token t : tokens.subList(first, tokens.size())) {
        if (t.type() == Type.ARROW) {
          break;
        }
        if (t.type() == Type.WORD && isPermissions(t.text()) && unconfinedExec(t.text())) {
          return Optional.of("'" + t.text() + "' executes programs unconfined");
        }
      }
      return Optional.empty();
    }
    if (kind == RuleKind.CHANGE_PROFILE) {
      for (int i = first; i < tokens.size(); i++) {
        if (tokens.get(i).type() == Type.ARROW) {
          String target = i + 1 < tokens.size() ? tokens.get(i + 1).text() : "";
          if (target.equals(UNCONFINED)) {
            return Optional.of("change_profile -> unconfined leaves confinement");
          }
          if (mayName(target, UNCONFINED)) {
            return Optional.of("change_profile -> " + target + " may change to unconfined");
          }
          return Optional.empty();
        }
      }
      return Optional.of("change_profile without '-> target' may change to any profile, unconfined included");
    }
    return Optional.empty();
  }

  /**
   * Whether a change_profile target (a profile name or glob, maybe with a {@code :ns:} prefix)
   * may name profile {@code name}. A glob svirtctl cannot expand (it names a variable) may.
   */
  static boolean mayName(String target, String name) {
    String t = target;
    if (t.startsWith(":")) {
      int end = t.indexOf(':', 1);
      t = end < 0 ? "" : t.substring(end + 1);
      if (t.startsWith("//")) {
        t = t.substring(2);
      }
    }
    return AppArmorGlob.compile(t, Map.of()).map(g -> g.matches(name)).orElse(true);
  }

  private static String blanksCollapsed(String s) {
    return s.indexOf('\t') < 0 && !s.contains("  ") ? s : BLANKS.matcher(s).replaceAll(" ");
  }

  /** Characters any program may take for the end of a line. */
  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || c == '\u0085'
        || c == '\u2028' || c == '\u2029';
  }

  /** Whether {@code w} is file permissions: one or more permission letters. */
  private static boolean isPermissions(String w) {
    if (w.isEmpty()) {
      return false;
    }
    for (int i = 0; i < w.length(); i++) {
      if (PERMISSION_LETTERS.indexOf(w.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether permissions hold an unconfined exec ({@code ux}, {@code Ux}, {@code pux}…). */
  private static boolean unconfinedExec(String perms) {
    for (int i = 0; i + 1 < perms.length(); i++) {
      char c = perms.charAt(i);
      char n = perms.charAt(i + 1);
      if ((c == 'u' || c == 'U') && (n == 'x' || n == 'X')) {
        return true;
      }
    }
    return false;
  }
}
