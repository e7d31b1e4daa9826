package io.svirtctl.host;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * apparmor_parser's refusal of one profile: the file it blames (the compiled profile or one of
 * its includes), the line there, and its own message without the "AppArmor parser error for …"
 * preamble.
 *
 * @param file the file the parser names after "in profile", as it gave it; empty when the
 *     message names none
 * @param line the line in that file, 0 when the message gives none
 */
public record ParserRefusal(Optional<Path> file, int line, String message) {

  public ParserRefusal {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }
}
