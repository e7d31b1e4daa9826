package io.svirtctl.apparmor;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An AppArmor profile file as text, with its profile headers found; an immutable value whose edits
 * (mode, flags, managed rules) change only the bytes they must and keep every other byte.
 *
 * <p>Flag lists that svirtctl writes are {@code flags=(a, b)}; a mode change writes the flags
 * sorted, the form the AppArmor tools write, so a file toggled by either tool looks the same. A
 * header whose flag set is already right is left exactly as written (no reordering, no spacing
 * changes), which makes every edit idempotent. See docs/apparmor.md.
 */
public final class ProfileDocument {

  /** Mode flags that a mode change removes before adding its own (as the AppArmor tools do). */
  private static final Set<String> MODE_FLAGS =
      Set.of("enforce", "complain", "kill", "unconfined", "prompt", "default_allow");

  private static final Pattern FLAG = Pattern.compile("[A-Za-z0-9_.=/:-]+");

  private final String fileName;
  private final String text;
  private final List<ProfileHeader> headers;

  private ProfileDocument(String fileName, String text, List<ProfileHeader> headers) {
    this.fileName = fileName;
    this.text = text;
    this.headers = List.copyOf(headers);
  }

  /**
   * Parses a profile file.
   *
   * @param fileName the name used in diagnostics
   * @throws InvalidInputException when no profile header is found, a header is malformed or the
   *     braces do not balance
   */
  public static ProfileDocument parse(String fileName, String text) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(text, "text");
    if (text.indexOf('\0') >= 0) {
      throw new InvalidInputException(SourceLocation.ofFile(fileName), "file contains a NUL byte");
    }
    return new ProfileDocument(fileName, text, new ProfileScanner(fileName, text).scan());
  }

  /** The name used in diagnostics. */
  public String fileName() {
    return fileName;
  }

  /** The whole file text. */
  public String text() {
    return text;
  }

  /** Every profile, hat and child-profile header, in file order. */
  public List<ProfileHeader> headers() {
    return headers;
  }

  /** The mode of the first top-level profile, from its mode flag (see {@link Mode#ofFlags}). */
  public Mode mode() {
    ProfileHeader first =
        headers.stream().filter(h -> h.depth() == 0).findFirst().orElse(headers.get(0));
    return Mode.ofFlags(first.flags());
  }

  /**
   * The header of a profile: {@code name} is either a full path ({@code parent//child}) or a plain
   * name; the first header in file order that matches is taken.
   */
  public Optional<ProfileHeader> header(String name) {
    Optional<ProfileHeader> byPath = headers.stream().filter(h -> h.path().equals(name)).findFirst();
    return byPath.isPresent()
        ? byPath
        : headers.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /** The flags of a named profile, as written. */
  public List<String> flags(String profileName) {
    return required(profileName).flags();
  }

  /**
   * Sets the mode of every profile, hat and child profile in the file, as aa-complain and
   * aa-enforce do: every mode flag (and the retired prompt and default_allow) is removed, then the
   * mode's own flag is added (enforce adds none). Other flags stay.
   */
  public ProfileDocument withMode(Mode mode) {
    List<Edit> edits = new ArrayList<>();
    for (ProfileHeader h : headers) {
      Set<String> wanted = new LinkedHashSet<>();
      for (String f : h.flags()) {
        if (!MODE_FLAGS.contains(f)) {
          wanted.add(f);
        }
      }
      mode.flag().ifPresent(wanted::add);
      boolean same = wanted.size() == h.flags().size() && new HashSet<>(h.flags()).equals(wanted);
      if (!same) {
        edits.add(flagEdit(h, wanted.stream().sorted(Comparator.naturalOrder()).toList()));
      }
    }
    return apply(edits);
  }

  /** The mode a single header has, from its mode flag. */
  public static Mode modeOf(ProfileHeader header) {
    return Mode.ofFlags(header.flags());
  }

  /**
   * Sets a header's flag list exactly, in the given order; an empty list removes the flag clause.
   * Nothing changes when the list is already exactly this.
   *
   * @throws IllegalArgumentException for a flag that is not one word, or a duplicate
   * @throws InvalidInputException when the file has no such profile
   */
  public ProfileDocument withFlags(String profileName, List<String> flags) {
    for (String f : flags) {
      if (!FLAG.matcher(f).matches()) {
        throw new IllegalArgumentException("not a profile flag: '" + f + "'");
      }
    }
    if (new HashSet<>(flags).size() != flags.size()) {
      throw new IllegalArgumentException("duplicate flag in " + flags);
    }
    ProfileHeader h = required(profileName);
    if (h.flags().equals(flags)) {
      return this;
    }
    return apply(List.of(flagEdit(h, flags)));
  }

  /** The rules of a profile's managed block, empty when it has none. */
  public List<String> managedRules(String profileName) {
    return ManagedBlock.find(fileName, text, required(profileName), headers)
        .map(ManagedBlock::rules)
        .orElse(List.of());
  }

  /**
   * Replaces the managed block of a profile; a new block goes just before the profile's closing
   * brace, an existing one is replaced where it is, an empty list removes the block. Nothing
   * changes when the block already holds exactly these rules.
   *
   * @throws IllegalArgumentException for a blank rule, a rule spanning lines or a marker line
   * @throws InvalidInputException when the file has no such profile or its markers are broken
   */
  public ProfileDocument withManagedRules(String profileName, List<String> rules) {
    List<String> clean = new ArrayList<>();
    for (String r : rules) {
      String s = r.strip();
      if (s.isEmpty()
          || s.indexOf('\n') >= 0
          || s.indexOf('\r') >= 0
          || s.indexOf('\0') >= 0
          || s.equals(ManagedBlock.BEGIN)
          || s.equals(ManagedBlock.END)) {
        throw new IllegalArgumentException("not a single rule line: '" + r + "'");
      }
      clean.add(s);
    }
    ProfileHeader h = required(profileName);
    Optional<ManagedBlock> existing = ManagedBlock.find(fileName, text, h, headers);
    String eol = lineEnding(h);
    if (existing.isPresent()) {
      ManagedBlock b = existing.get();
      if (b.rules().equals(clean)) {
        return this;
      }
      int start = b.range().start();
      String indent = leadingWhitespace(start);
      String replacement = clean.isEmpty() ? "" : ManagedBlock.render(clean, indent, eol);
      return apply(List.of(new Edit(start, b.range().end(), replacement)));
    }
    if (clean.isEmpty()) {
      return this;
    }
    String indent = leadingWhitespace(text.lastIndexOf('\n', h.header().start()) + 1) + "  ";
    int close = h.closeBrace();
    int lineStart = text.lastIndexOf('\n', close - 1) + 1;
    String block = ManagedBlock.render(clean, indent, eol);
    if (text.substring(lineStart, close).isBlank()) {
      return apply(List.of(new Edit(lineStart, lineStart, block)));
    }
    return apply(List.of(new Edit(close, close, eol + block)));
  }

  private ProfileHeader required(String profileName) {
    return header(profileName)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    SourceLocation.ofFile(fileName), "no profile named '" + profileName + "'"));
  }

  private Edit flagEdit(ProfileHeader h, List<String> flags) {
    String clause = "flags=(" + String.join(", ", flags) + ")";
    if (h.flagsClause().isPresent()) {
      TextRange c = h.flagsClause().get();
      if (flags.isEmpty()) {
        // Drop the clause and the blanks before it, so "name flags=(x) {" becomes "name {".
        return new Edit(h.flagsInsertAt(), c.end(), "");
      }
      return new Edit(c.start(), c.end(), clause);
    }
    if (flags.isEmpty()) {
      return new Edit(h.flagsInsertAt(), h.flagsInsertAt(), "");
    }
    return new Edit(h.flagsInsertAt(), h.flagsInsertAt(), " " + clause);
  }

  /** Applies non-overlapping edits and parses the result again, so offsets stay true. */
  private ProfileDocument apply(List<Edit> edits) {
    List<Edit> real = edits.stream().filter(e -> !e.isNoop(text)).toList();
    if (real.isEmpty()) {
      return this;
    }
    List<Edit> sorted =
        real.stream().sorted(Comparator.comparingInt(Edit::start).reversed()).toList();
    StringBuilder b = new StringBuilder(text);
    for (Edit e : sorted) {
      b.replace(e.start(), e.end(), e.replacement());
    }
    return parse(fileName, b.toString());
  }

  private String lineEnding(ProfileHeader h) {
    int nl = text.indexOf('\n', h.header().start());
    if (nl > 0 && text.charAt(nl - 1) == '\r') {
      return "\r\n";
    }
    if (nl < 0 && text.contains("\r\n")) {
      return "\r\n";
    }
    return "\n";
  }

  private String leadingWhitespace(int lineStart) {
    int i = lineStart;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return text.substring(lineStart, i);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProfileDocument d && d.text.equals(text) && d.fileName.equals(fileName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileName, text);
  }

  @Override
  public String toString() {
    return "ProfileDocument[" + fileName + ", " + headers.size() + " headers]";
  }

  /** Replace {@code [start, end)} by {@code replacement}. */
  private record Edit(int start, int end, String replacement) {
    boolean isNoop(String text) {
      return text.substring(start, end).equals(replacement);
    }
  }
}
