package io.svirtctl.apparmor;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One profile, hat or child-profile header of a profile document, with where its parts are.
 *
 * @param kind how the header is spelled
 * @param name the profile name without quotes or the hat's {@code ^}
 * @param path the name as the kernel shows it: enclosing profile names joined with {@code //}
 * @param depth 0 for a top-level profile, 1 for its hats and children, and so on
 * @param line 1-based line of the header's first word
 * @param column 1-based column of the header's first word
 * @param attachment the attachment word as written (e.g. {@code /usr/bin/foo}), if any
 * @param flags the flags as written, in order, duplicates kept
 * @param header the header text, from its first word to and including its opening brace
 * @param flagsClause the flag clause as written ({@code flags=(...)}, {@code (...)}), if any
 * @param flagsInsertAt where the word before the flag clause (or the last word) ends
 * @param closeBrace offset of the brace that closes the profile's body
 */
public record ProfileHeader(
    HeaderKind kind,
    String name,
    String path,
    int depth,
    int line,
    int column,
    Optional<String> attachment,
    List<String> flags,
    TextRange header,
    Optional<TextRange> flagsClause,
    int flagsInsertAt,
    int closeBrace) {

  public ProfileHeader {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(attachment, "attachment");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(flagsClause, "flagsClause");
    flags = List.copyOf(flags);
    if (depth < 0 || line < 1 || column < 1) {
      throw new IllegalArgumentException("bad position of header " + name);
    }
    if (closeBrace < header.end()) {
      throw new IllegalArgumentException("closing brace before header end of " + name);
    }
  }
}
