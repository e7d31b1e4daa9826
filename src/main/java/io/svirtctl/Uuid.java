package io.svirtctl;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A libvirt domain UUID in canonical form: 36 characters, lowercase hex, dashes at 8-4-4-4-12.
 * Guest profile names are {@code libvirt-<uuid>} in this form.
 */
public record Uuid(String value) implements Comparable<Uuid> {

  private static final Pattern CANONICAL =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

  public Uuid {
    Objects.requireNonNull(value, "value");
    if (!CANONICAL.matcher(value).matches()) {
      throw new IllegalArgumentException("not a canonical UUID: " + value);
    }
  }

  /** Parses a UUID in any letter case; empty if it is not exactly 8-4-4-4-12 hex digits. */
  public static Optional<Uuid> parse(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return CANONICAL.matcher(lower).matches() ? Optional.of(new Uuid(lower)) : Optional.empty();
  }

  /**
   * Parses a UUID as libvirt's own parser does: surrounding blanks skipped, dashes accepted
   * between any hex pairs, any letter case; the canonical form is what svirtctl compares.
   */
  public static Optional<Uuid> parseLibvirt(String text) {
    String hex = text.strip().replace("-", "").toLowerCase(Locale.ROOT);
    if (!HEX32.matcher(hex).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Uuid(
            hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20)));
  }

  /** The AppArmor profile name libvirt gives this guest. */
  public String profileName() {
    return "libvirt-" + value;
  }

  @Override
  public int compareTo(Uuid o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
