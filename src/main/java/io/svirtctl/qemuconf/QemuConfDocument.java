package io.svirtctl.qemuconf;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.LineIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable, lossless qemu.conf: its exact text plus libvirt's reading of it. Edits return a
 * new document whose text differs from this one only where the edit needs it.
 *
 * <p>libvirt reads only the first active occurrence of a key (virConfGetValue walks the entries
 * in order), so {@link #get} does too, and edits remove later duplicates.
 */
public final class QemuConfDocument {

  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private final String fileName;
  private final String text;
  private final List<ConfStatement> statements;

  private QemuConfDocument(String fileName, String text, List<ConfStatement> statements) {
    this.fileName = fileName;
    this.text = text;
    this.statements = statements;
  }

  /**
   * Parses {@code text} as libvirt 9.0 does.
   *
   * @param fileName the name printed in diagnostics
   * @throws InvalidInputException at {@code fileName:line:col} with libvirt's message (e.g.
   *     "expecting a separator") when libvirt would refuse the file
   */
  public static QemuConfDocument parse(String fileName, String text) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(text, "text");
    return new QemuConfDocument(fileName, text, QemuConfParser.parse(fileName, text));
  }

  /** The document's text; exactly the parsed text when the document was not edited. */
  public String text() {
    return text;
  }

  /** The value libvirt reads for {@code key}: its first active occurrence. */
  public Optional<QemuValue> get(String key) {
    return first(key).map(ConfEntry::value);
  }

  /** How many active (not commented-out) occurrences of {@code key} the file has. */
  public int occurrences(String key) {
    return (int) entries().stream().filter(e -> e.key().equals(key)).count();
  }

  /** Every distinct active key, in the order of its first occurrence. */
  public List<String> keys() {
    LinkedHashSet<String> keys = new LinkedHashSet<>();
    entries().forEach(e -> keys.add(e.key()));
    return List.copyOf(keys);
  }

  /**
   * This document with {@code key} set to {@code value}: the value of the first active occurrence
   * is replaced in place (spacing and trailing comment kept); without one, an active line goes
   * right after a commented-out default ({@code #key = …}) or else at the end. Later active
   * occurrences are removed. Returns this document when the key already holds the value once.
   *
   * @throws IllegalArgumentException when libvirt cannot read back {@code value} from any text
   */
  public QemuConfDocument set(String key, QemuValue value) {
    checkKey(key);
    String rendered = writable(value);
    List<ConfEntry> occ = occurrencesOf(key);
    if (occ.size() == 1 && occ.get(0).value().equals(value)) {
      return this;
    }
    List<Splice> splices = new ArrayList<>();
    if (!occ.isEmpty()) {
      ConfEntry first = occ.get(0);
      splices.add(new Splice(first.valueStart(), first.valueEnd(), rendered));
      occ.stream().skip(1).map(this::removal).forEach(splices::add);
    } else {
      String line = key + " = " + rendered + lineEnding();
      int at = afterCommentedDefault(key).orElse(text.length());
      String prefix = at > 0 && !QemuConfParser.isEol(text.charAt(at - 1)) ? lineEnding() : "";
      splices.add(new Splice(at, at, prefix + line));
    }
    return apply(splices);
  }

  /** This document without any active occurrence of {@code key}; comments stay. */
  public QemuConfDocument unset(String key) {
    checkKey(key);
    List<ConfEntry> occ = occurrencesOf(key);
    if (occ.isEmpty()) {
      return this;
    }
    return apply(occ.stream().map(this::removal).toList());
  }

  /**
   * Checks the value of every known key (its first active occurrence) against {@link
   * KeyCatalog#libvirt()}, as libvirt's QEMU driver would when loading the file. Unknown keys are
   * ignored, as libvirt does. Each diagnostic is at the value's position.
   */
  public List<Diagnostic> validate() {
    List<Diagnostic> out = new ArrayList<>();
    KeyCatalog catalog = KeyCatalog.libvirt();
    LineIndex lines = LineIndex.of(text);
    for (String key : keys()) {
      ConfEntry e = first(key).orElseThrow();
      catalog
          .find(key)
          .flatMap(spec -> spec.check(e.value()))
          .ifPresent(
              msg ->
                  out.add(
                      new Diagnostic(
                          lines.location(fileName, e.valueStart()), msg)));
    }
    return List.copyOf(out);
  }

  /** The parsed statements, for tests that compare with libvirt's own serialisation. */
  List<ConfStatement> statements() {
    return statements;
  }

  private List<ConfEntry> entries() {
    List<ConfEntry> out = new ArrayList<>();
    for (ConfStatement st : statements) {
      if (st instanceof ConfEntry e) {
        out.add(e);
      }
    }
    return out;
  }

  private List<ConfEntry> occurrencesOf(String key) {
    return entries().stream().filter(e -> e.key().equals(key)).toList();
  }

  private Optional<ConfEntry> first(String key) {
    return entries().stream().filter(e -> e.key().equals(key)).findFirst();
  }

  private static void checkKey(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a qemu.conf key name: '" + key + "'");
    }
  }

  /**
   * The text svirtctl writes for {@code value}, after checking libvirt reads that text back as
   * the same value (a string holding both quote kinds and ending in {@code "}, say, cannot be
   * written at all).
   */
  private static String writable(QemuValue value) {
    String rendered = value.render();
    String probe = "k = " + rendered + "\n";
    Optional<QemuValue> back;
    try {
      back = QemuConfDocument.parse("value", probe).get("k");
    } catch (InvalidInputException e) {
      back = Optional.empty();
    }
    if (back.isEmpty() || !back.get().equals(value)) {
      throw new IllegalArgumentException("libvirt cannot read back a value written as " + rendered);
    }
    return rendered;
  }

  /** The line ending of the file's first line, so inserted lines match (CRLF stays CRLF). */
  private String lineEnding() {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        return "\n";
      }
      if (c == '\r') {
        return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? "\r\n" : "\r";
      }
    }
    return "\n";
  }

  /**
   * Where to insert an active line for {@code key}: just after the last commented-out default
   * {@code #key = …} or {@code # key = …} standing on its own line (one blank at most after the
   * {@code #}: more indented ones are examples inside prose), past the closing {@code ]} of a
   * commented-out list that spans lines.
   */
  private Optional<Integer> afterCommentedDefault(String key) {
    Pattern p = Pattern.compile("[ \\t]?" + Pattern.quote(key) + "[ \\t]*=[ \\t]*(.*)");
    int found = -1;
    for (int i = 0; i < statements.size(); i++) {
      if (statements.get(i) instanceof ConfComment c
          && ownLine(c.start())
          && p.matcher(c.text()).matches()) {
        found = i;
      }
    }
    if (found < 0) {
      return Optional.empty();
    }
    ConfComment c = (ConfComment) statements.get(found);
    Matcher m = p.matcher(c.text());
    m.matches();
    int blockEnd = c.end();
    String rest = m.group(1);
    if (rest.startsWith("[") && !rest.contains("]")) {
      int prevEnd = c.end();
      for (int j = found + 1; j < statements.size(); j++) {
        if (!(statements.get(j) instanceof ConfComment next) || !nextLine(prevEnd, next.start())) {
          break;
        }
        prevEnd = next.end();
        if (next.text().contains("]")) {
          blockEnd = next.end();
          break;
        }
      }
    }
    return Optional.of(afterEol(blockEnd));
  }

  private boolean ownLine(int index) {
    int i = index - 1;
    while (i >= 0 && QemuConfParser.isBlank(text.charAt(i))) {
      i--;
    }
    return i < 0 || QemuConfParser.isEol(text.charAt(i));
  }

  /** True when {@code next} starts on the line right after the one ending at {@code end}. */
  private boolean nextLine(int end, int next) {
    int after = afterEol(end);
    if (after == end) {
      return false;
    }
    for (int i = after; i < next; i++) {
      if (!QemuConfParser.isBlank(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private int afterEol(int index) {
    if (index < text.length() && text.charAt(index) == '\r') {
      index++;
      return index < text.length() && text.charAt(index) == '\n' ? index + 1 : index;
    }
    return index < text.length() && text.charAt(index) == '\n' ? index + 1 : index;
  }

  /**
   * The text to cut to remove entry {@code e}: its whole line(s) when nothing else shares them;
   * else the entry with the {@code ;} that joins it to its neighbour on the line.
   */
  private Splice removal(ConfEntry e) {
    int lineStart = e.start();
    while (lineStart > 0 && QemuConfParser.isBlank(text.charAt(lineStart - 1))) {
      lineStart--;
    }
    boolean aloneBefore = lineStart == 0 || QemuConfParser.isEol(text.charAt(lineStart - 1));
    int p = skipBlanks(e.end());
    int afterSemicolon = p < text.length() && text.charAt(p) == ';' ? skipBlanks(p + 1) : p;
    boolean aloneAfter =
        afterSemicolon == text.length() || QemuConfParser.isEol(text.charAt(afterSemicolon));
    if (aloneBefore && aloneAfter) {
      return new Splice(lineStart, afterEol(afterSemicolon), "");
    }
    if (afterSemicolon != p) {
      // "key = v; next = w": cut "key = v; " so the neighbour keeps its place.
      return new Splice(e.start(), afterSemicolon, "");
    }
    // "prev = w; key = v": cut " ; key = v" back to the end of the neighbour.
    int q = e.start() - 1;
    while (q >= 0 && QemuConfParser.isBlank(text.charAt(q))) {
      q--;
    }
    while (q > 0 && QemuConfParser.isBlank(text.charAt(q - 1))) {
      q--;
    }
    return new Splice(Math.max(q, 0), e.end(), "");
  }

  private int skipBlanks(int i) {
    while (i < text.length() && QemuConfParser.isBlank(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private QemuConfDocument apply(List<Splice> splices) {
    List<Splice> sorted = new ArrayList<>(splices);
    sorted.sort(Comparator.comparingInt(Splice::from));
    // Removals of neighbours joined by ";" may overlap; they are plain cuts, so merge them.
    List<Splice> merged = new ArrayList<>();
    for (Splice sp : sorted) {
      Splice last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && sp.from() < last.to()) {
        if (!last.replacement().isEmpty() || !sp.replacement().isEmpty()) {
          throw new IllegalStateException("overlapping edits at " + sp.from());
        }
        merged.set(merged.size() - 1, new Splice(last.from(), Math.max(last.to(), sp.to()), ""));
      } else {
        merged.add(sp);
      }
    }
    StringBuilder b = new StringBuilder(text);
    for (int i = merged.size() - 1; i >= 0; i--) {
      Splice sp = merged.get(i).replacement().isEmpty() ? tidyCut(merged.get(i)) : merged.get(i);
      b.replace(sp.from(), sp.to(), sp.replacement());
    }
    String result = b.toString();
    if (!result.isEmpty() && result.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      // libvirt refuses a file of only blanks ("expecting a name") but accepts an empty one.
      result = "";
    }
    try {
      return parse(fileName, result);
    } catch (InvalidInputException e) {
      throw new IllegalStateException("an edit produced text libvirt would refuse: " + e.getMessage(), e);
    }
  }

  /**
   * Widens a cut that ends its line so no dangling {@code ;} or blank line is left: a cut
   * preceded by {@code ; } loses that separator too, and a cut that empties its line takes the
   * line.
   */
  private Splice tidyCut(Splice cut) {
    if (cut.to() > cut.from() && QemuConfParser.isEol(text.charAt(cut.to() - 1))) {
      return cut; // already whole lines
    }
    int after = skipBlanks(cut.to());
    if (after < text.length() && !QemuConfParser.isEol(text.charAt(after))) {
      return cut;
    }
    int from = cut.from();
    while (from > 0 && QemuConfParser.isBlank(text.charAt(from - 1))) {
      from--;
    }
    if (from == 0 || QemuConfParser.isEol(text.charAt(from - 1))) {
      return new Splice(from, afterEol(after), "");
    }
    if (text.charAt(from - 1) == ';') {
      from--;
      while (from > 0 && QemuConfParser.isBlank(text.charAt(from - 1))) {
        from--;
      }
      return new Splice(from, cut.to(), "");
    }
    return cut;
  }

  /** Replace {@code text[from, to)} by {@code replacement}. */
  private record Splice(int from, int to, String replacement) {}
}
