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

  /**
   * Whether a changed profile is replaced in the kernel now.
   *
   * @param apparmorEnabled whether the kernel runs AppArmor
   * @param loaded whether the kernel has the profile loaded
   */
  public boolean wants(boolean apparmorEnabled, boolean loaded) {
    return switch (this) {
      case AUTO -> apparmorEnabled && loaded;
      case ALWAYS -> true;
      case NEVER -> false;
    };
  }

  /** The lowercase name used in YAML. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
