package io.svirtctl.state;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * libvirt's rules for a domain name used as a guest key, plus svirtctl's own: a key that looks
 * like a UUID but is not one is refused rather than treated as a name.
 */
final class GuestNames {

  /** Hex digits and dashes only: with this many digits, a UUID written wrongly, not a name. */
  private static final Pattern UUID_LOOKALIKE = Pattern.compile("(?i)[0-9a-f-]+");

  private static final int LOOKALIKE_DIGITS = 20;

  /**
   * The same rules as one regular expression, for the JSON Schema: a UUID in any case, or a name
   * without '/' or control characters that is not '.', '..' or a UUID lookalike. The differential
   * schema test keeps the two in agreement.
   */
  static final String PATTERN =
      "^(?![\\s\\S]*[\\x00-\\x1F\\x7F-\\x9F])"
          + "(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
          + "|(?!\\.\\.?$)(?!-*(?:[0-9a-fA-F]-*){" + LOOKALIKE_DIGITS + ",}$)[^/]+)$";

  private GuestNames() {}

  /** Why {@code name} cannot name a domain; empty if it can. */
  static Optional<String> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of("a guest name must not be empty");
    }
    if (name.indexOf('/') >= 0) {
      // libvirt refuses '/' in domain names: the name becomes part of file paths.
      return Optional.of("a guest name must not contain '/'");
    }
    if (name.equals(".") || name.equals("..")) {
      return Optional.of("'" + name + "' is not a guest name");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return Optional.of("a guest name must not contain control characters");
      }
    }
    if (UUID_LOOKALIKE.matcher(name).matches()
        && name.replace("-", "").length() >= LOOKALIKE_DIGITS) {
      return Optional.of(
          "'" + name + "' looks like a UUID but is not one (expected 8-4-4-4-12 hex digits)");
    }
    return Optional.empty();
  }
}
