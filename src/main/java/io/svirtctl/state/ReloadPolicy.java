package io.svirtctl.state;

import java.util.Locale;

/** When changed profiles are loaded into the kernel with {@code apparmor_parser -r}. */
public enum ReloadPolicy {
  /** Reload changed profiles that the kernel has loaded. */
  AUTO,
  /** Never reload; the operator does it. */
  NEVER,
  /** Reload every changed profile, loaded or not. */
  ALWAYS;

  /** The lowercase name used in YAML. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
