package io.svirtctl.apparmor;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.LineIndex;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * libvirt's sVirt template ({@code TEMPLATE.qemu}, or the single {@code TEMPLATE} of libvirt ≤
 * 1.2), checked to hold what libvirt's profile generator needs, and able to make a guest profile
 * exactly as libvirt does.
 *
 * <p>libvirt's generator (virt-aa-helper {@code create_profile()}) does plain text replacement:
 * the first {@code "\nprofile LIBVIRT_TEMPLATE"} becomes {@code "\nprofile libvirt-<uuid>"} and the
 * first {@code "\n}"} becomes the {@code .files} include followed by a blank line and the brace.
 * So the template must have exactly one column-0 {@code profile LIBVIRT_TEMPLATE} that is not on
 * line 1, and exactly one column-0 {@code }}, after it; anything else would give a guest profile
 * that differs from what its author meant.
 */
public final class SvirtTemplate {

  /** The profile name libvirt replaces. */
  public static final String PROFILE_NAME = "LIBVIRT_TEMPLATE";

  private static final String NAME_MARK = "\nprofile " + PROFILE_NAME;
  private static final String END_MARK = "\n}";

  private final String fileName;
  private final String text;
  private final ProfileDocument document;

  private SvirtTemplate(String fileName, String text, ProfileDocument document) {
    this.fileName = fileName;
    this.text = text;
    this.document = document;
  }

  /**
   * Parses a template and checks its invariants.
   *
   * @throws InvalidInputException naming the offending lines when an invariant does not hold or the
   *     text is not a profile file
   */
  public static SvirtTemplate parse(String fileName, String text) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(text, "text");
    List<Diagnostic> problems = new ArrayList<>();
    if (text.startsWith(NAME_MARK.substring(1))) {
      problems.add(
          at(
              fileName,
              1,
              "'profile "
                  + PROFILE_NAME
                  + "' must not be on line 1: libvirt looks for it after a line break"));
    }
    LineIndex lines = LineIndex.of(text);
    List<Integer> names = occurrences(text, lines, NAME_MARK);
    List<Integer> ends = occurrences(text, lines, END_MARK);
    if (names.isEmpty() && problems.isEmpty()) {
      problems.add(
          new Diagnostic(
              SourceLocation.ofFile(fileName),
              "no line starts with 'profile " + PROFILE_NAME + "' (libvirt cannot use this template)"));
    }
    for (int i = 1; i < names.size(); i++) {
      problems.add(
          at(
              fileName,
              names.get(i),
              "a second line starting with 'profile "
                  + PROFILE_NAME
                  + "' (libvirt replaces only the first)"));
    }
    if (ends.isEmpty()) {
      problems.add(
          new Diagnostic(
              SourceLocation.ofFile(fileName),
              "no '}' in column 0 (libvirt adds the guest's .files include before it)"));
    }
    for (int i = 1; i < ends.size(); i++) {
      problems.add(
          at(
              fileName,
              ends.get(i),
              "a second '}' in column 0 (libvirt adds the .files include only before the first;"
                  + " indent inner closing braces)"));
    }
    if (!names.isEmpty() && !ends.isEmpty() && ends.get(0) < names.get(0)) {
      problems.add(
          at(fileName, ends.get(0), "the column-0 '}' comes before 'profile " + PROFILE_NAME + "'"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    ProfileDocument document = ProfileDocument.parse(fileName, text);
    if (document.header(PROFILE_NAME).filter(h -> h.depth() == 0).isEmpty()) {
      throw new InvalidInputException(
          SourceLocation.ofFile(fileName), "no top-level profile named " + PROFILE_NAME);
    }
    return new SvirtTemplate(fileName, text, document);
  }

  /** The template text. */
  public String text() {
    return text;
  }

  /** The name used in diagnostics. */
  public String fileName() {
    return fileName;
  }

  /** The template as a profile document, for its flags and managed rules. */
  public ProfileDocument document() {
    return document;
  }

  /** The guest profile libvirt would create from this template for a guest. */
  public String instantiate(Uuid uuid) {
    String name = uuid.profileName();
    String once = replaceFirst(text, NAME_MARK, "\nprofile " + name);
    return replaceFirst(once, END_MARK, "\n  #include <libvirt/" + name + ".files>\n\n}");
  }

  private static String replaceFirst(String s, String target, String replacement) {
    int i = s.indexOf(target);
    return s.substring(0, i) + replacement + s.substring(i + target.length());
  }

  /** 1-based line numbers of the lines each occurrence of {@code "\n..."} starts. */
  private static List<Integer> occurrences(String text, LineIndex lines, String mark) {
    List<Integer> out = new ArrayList<>();
    for (int i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + 1)) {
      out.add(lines.line(i + 1));
    }
    return out;
  }

  private static Diagnostic at(String file, int line, String message) {
    return new Diagnostic(new SourceLocation(file, line, 1), message);
  }
}
