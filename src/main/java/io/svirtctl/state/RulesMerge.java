package io.svirtctl.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Adds rules to guests' {@code rules} lists in the text of a state file, in place: it finds
 * where each list (or the keys leading to it) is written through the position-carrying YAML tree
 * and inserts text there, so every other byte (comments, order, quoting, blank lines) stays as it
 * was. Each insertion is read back and must yield the old list plus the new rules, else nothing
 * is changed.
 */
public final class RulesMerge {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /**
   * Rules for one guest.
   *
   * @param keys the keys the guest may be listed under (UUID, name); a new entry takes the first
   */
  public record GuestRules(List<String> keys, List<String> rules) {
    public GuestRules {
      keys = List.copyOf(keys);
      rules = List.copyOf(rules);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("a guest needs a key");
      }
    }
  }

  private RulesMerge() {}

  /**
   * The file with the rules added: under {@code apparmor.guests.list.<key>.rules} of a Host
   * file, or {@code hosts.<host>.apparmor.guests.list.<key>.rules} of a Fleet file (created
   * when missing). Empty when every rule is already listed.
   *
   * @throws InvalidInputException when the file cannot be read or the rules cannot be placed
   *     without rewriting other text
   */
  public static Optional<byte[]> merge(
      String fileName, byte[] content, String host, List<GuestRules> guests) {
    String text = new String(content, StandardCharsets.UTF_8);
    String original = text;
    for (GuestRules g : guests) {
      text = mergeOne(fileName, text, host, g);
    }
    return text.equals(original) ? Optional.empty()
        : Optional.of(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String mergeOne(String fileName, String text, String host, GuestRules g) {
    YNode.YMap top = read(fileName, text);
    List<String> base = new ArrayList<>();
    boolean fleet = SpecBinder.entry(top, "kind")
        .filter(e -> e.value() instanceof YNode.YStr s && s.value().equals("Fleet")).isPresent();
    if (fleet) {
      base.add("hosts");
      base.add(host);
    }
    base.addAll(List.of("apparmor", "guests", "list"));
    String key = g.keys().get(0);
    Optional<YNode> list = walk(top, base);
    if (list.orElse(null) instanceof YNode.YMap m) {
      for (String k : g.keys()) {
        if (m.entries().containsKey(k)) {
          key = k;
          break;
        }
      }
    }
    List<String> path = new ArrayList<>(base);
    path.add(key);
    path.add("rules");
    List<String> before = strings(walk(top, path));
    List<String> added = g.rules().stream().filter(r -> !before.contains(r)).distinct().toList();
    if (added.isEmpty()) {
      return text;
    }
    String edited = new Edit(text).insert(top, path, added, fileName);
    List<String> after = strings(walk(read(fileName, edited), path));
    List<String> expected = new ArrayList<>(before);
    expected.addAll(added);
    if (!after.equals(expected)) {
      throw new InvalidInputException(SourceLocation.ofFile(fileName),
          "cannot add the rules of " + key + " without rewriting other lines; add them by hand");
    }
    return edited;
  }

  private static YNode.YMap read(String fileName, String text) {
    Problems problems = new Problems();
    Optional<YNode> root = new YamlReader(fileName, problems).read(
        text.getBytes(StandardCharsets.UTF_8));
    problems.throwIfAny();
    if (!(root.orElseThrow() instanceof YNode.YMap m)) {
      throw new InvalidInputException(SourceLocation.ofFile(fileName),
          "a state file must be a YAML mapping");
    }
    return m;
  }

  private static Optional<YNode> walk(YNode node, List<String> path) {
    YNode cur = node;
    for (String k : path) {
      if (!(cur instanceof YNode.YMap m) || !m.entries().containsKey(k)) {
        return Optional.empty();
      }
      cur = m.entries().get(k).value();
    }
    return Optional.of(cur);
  }

  private static List<String> strings(Optional<YNode> list) {
    List<String> out = new ArrayList<>();
    if (list.orElse(null) instanceof YNode.YList l) {
      for (YNode n : l.items()) {
        out.add(n instanceof YNode.YStr s ? s.value() : n.describe());
      }
    }
    return out;
  }

  /** A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's). */
  public static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A mapping key: plain when it can be, else double-quoted. */
  public static String key(String k) {
    return PLAIN_KEY.matcher(k).matches() ? k : quote(k);
  }

  /** One text insertion, located through the tree. */
  private static final class Edit {
    private final String text;
    private final List<Integer> lineStarts = new ArrayList<>();
    private final String newline;

    Edit(String text) {
      this.text = text;
      lineStarts.add(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          lineStarts.add(i + 1);
        }
      }
      newline = text.contains("\r\n") ? "\r\n" : "\n";
    }

    String insert(YNode.YMap top, List<String> path, List<String> rules, String fileName) {
      YNode cur = top;
      YNode.Entry parentEntry = null;
      for (int i = 0; i < path.size(); i++) {
        String k = path.get(i);
        if (cur instanceof YNode.YNull && parentEntry != null) {
          return underEmptyKey(parentEntry, path.subList(i, path.size()), rules, fileName);
        }
        if (!(cur instanceof YNode.YMap m)) {
          throw cannot(cur.location(), fileName, "expected a mapping here, got " + cur.describe());
        }
        if (!m.entries().containsKey(k)) {
          return intoMap(m, path.subList(i, path.size()), rules);
        }
        parentEntry = m.entries().get(k);
        cur = parentEntry.value();
      }
      if (cur instanceof YNode.YNull && parentEntry != null) {
        return underEmptyKey(parentEntry, List.of(), rules, fileName);
      }
      if (cur instanceof YNode.YList l) {
        return intoList(l, rules);
      }
      throw cannot(cur.location(), fileName, "rules is " + cur.describe() + ", not a list");
    }

    private String intoList(YNode.YList l, List<String> rules) {
      int at = offset(l.location());
      if (text.charAt(at) == '[') {
        int close = closing(at, '[', ']');
        int q = close;
        while (q > at + 1 && Character.isWhitespace(text.charAt(q - 1))) {
          q--;
        }
        String items = String.join(", ", rules.stream().map(RulesMerge::quote).toList());
        String ins = l.items().isEmpty() ? items
            : text.charAt(q - 1) == ',' ? " " + items + "," : ", " + items;
        return text.substring(0, q) + ins + text.substring(q);
      }
      YNode last = l.items().get(l.items().size() - 1);
      int lineStart = lineStarts.get(last.location().line() - 1);
      int dash = offset(last.location()) - 1;
      while (dash > lineStart && text.charAt(dash) != '-') {
        dash--;
      }
      String indent = " ".repeat(dash - lineStart);
      StringBuilder b = new StringBuilder();
      for (String r : rules) {
        b.append(indent).append("- ").append(quote(r)).append(newline);
      }
      return insertAfterLine(maxLine(l), b.toString());
    }

    private String intoMap(YNode.YMap m, List<String> keys, List<String> rules) {
      int at = offset(m.location());
      if (text.charAt(at) == '{') {
        int close = closing(at, '{', '}');
        int q = close;
        while (q > at + 1 && Character.isWhitespace(text.charAt(q - 1))) {
          q--;
        }
        String ins = (m.entries().isEmpty() ? "" : ", ") + flow(keys, rules);
        return text.substring(0, q) + ins + text.substring(q);
      }
      int indent = m.entries().values().iterator().next().keyLocation().column() - 1;
      return insertAfterLine(maxLine(m), block(keys, rules, indent));
    }

    private String underEmptyKey(YNode.Entry e, List<String> keys, List<String> rules,
        String fileName) {
      int line = e.keyLocation().line();
      int end = lineStarts.size() > line ? lineStarts.get(line) : text.length();
      String rest = text.substring(offset(e.keyLocation()), end);
      int colon = rest.indexOf(':');
      String after = colon < 0 ? "x" : rest.substring(colon + 1).strip();
      if (!after.isEmpty() && !after.startsWith("#")) {
        throw cannot(e.value().location(), fileName, "the value here is written as '" + after
            + "'; write [] or a mapping");
      }
      int indent = e.keyLocation().column() - 1 + 2;
      if (keys.isEmpty()) {
        StringBuilder b = new StringBuilder();
        for (String r : rules) {
          b.append(" ".repeat(indent)).append("- ").append(quote(r)).append(newline);
        }
        return insertAfterLine(line, b.toString());
      }
      return insertAfterLine(line, block(keys, rules, indent));
    }

    private String block(List<String> keys, List<String> rules, int indent) {
      StringBuilder b = new StringBuilder();
      int i = indent;
      for (String k : keys) {
        b.append(" ".repeat(i)).append(key(k)).append(':').append(newline);
        i += 2;
      }
      for (String r : rules) {
        b.append(" ".repeat(i)).append("- ").append(quote(r)).append(newline);
      }
      return b.toString();
    }

    private static String flow(List<String> keys, List<String> rules) {
      String value = "[" + String.join(", ", rules.stream().map(RulesMerge::quote).toList()) + "]";
      for (int i = keys.size() - 1; i >= 0; i--) {
        value = key(keys.get(i)) + ": " + value;
        if (i > 0) {
          value = "{" + value + "}";
        }
      }
      return value;
    }

    private String insertAfterLine(int line, String block) {
      if (line >= lineStarts.size()) {
        String sep = text.endsWith("\n") || text.isEmpty() ? "" : newline;
        return text + sep + block;
      }
      int at = lineStarts.get(line);
      return text.substring(0, at) + block + text.substring(at);
    }

    private int closing(int open, char o, char c) {
      int depth = 0;
      char quote = 0;
      for (int i = open; i < text.length(); i++) {
        char ch = text.charAt(i);
        if (quote != 0) {
          if (ch == '\\' && quote == '"') {
            i++;
          } else if (ch == quote) {
            quote = 0;
          }
        } else if (ch == '"' || ch == '\'') {
          quote = ch;
        } else if (ch == o) {
          depth++;
        } else if (ch == c && --depth == 0) {
          return i;
        }
      }
      return text.length();
    }

    private int offset(SourceLocation l) {
      return Math.min(text.length() - 1, lineStarts.get(l.line() - 1) + l.column() - 1);
    }

    private static int maxLine(YNode n) {
      int max = n.location().line();
      if (n instanceof YNode.YMap m) {
        for (YNode.Entry e : m.entries().values()) {
          max = Math.max(max, Math.max(e.keyLocation().line(), maxLine(e.value())));
        }
      } else if (n instanceof YNode.YList l) {
        for (YNode item : l.items()) {
          max = Math.max(max, maxLine(item));
        }
      }
      return max;
    }

    private static InvalidInputException cannot(SourceLocation at, String file, String why) {
      Objects.requireNonNull(file, "file");
      return new InvalidInputException(at, "cannot add learned rules here: " + why);
    }
  }
}
