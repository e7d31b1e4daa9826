package io.svirtctl.apparmor;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The mode of an AppArmor profile as the kernel applies it (AppArmor 3.0.8): {@code enforce} (no
 * mode flag, or {@code enforce}), {@code complain}, {@code kill} or {@code unconfined}. The
 * parser refuses two different mode flags in one header (see
 * fixtures/apparmor/parser-behaviour-3.0.8.jsonl), so a header that compiles has one mode.
 */
public enum Mode {
  /** Violations are blocked and logged. */
  ENFORCE,
  /** Violations are logged, not blocked: the guest is not confined. */
  COMPLAIN,
  /** Violations are blocked and the offending task is killed. */
  KILL,
  /** The profile does not confine at all. */
  UNCONFINED;

  /** The lowercase name used in YAML, flags and output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The header flag that selects this mode; enforce is written as no mode flag at all. */
  public Optional<String> flag() {
    return this == ENFORCE ? Optional.empty() : Optional.of(label());
  }

  /** Whether a violation is stopped: enforce and kill confine, complain and unconfined do not. */
  public boolean confines() {
    return this == ENFORCE || this == KILL;
  }

  /** Whether {@code flag} is one of the mode flags (enforce included). */
  public static boolean isModeFlag(String flag) {
    for (Mode m : values()) {
      if (m.label().equals(flag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The mode a header's flag list gives: its mode flag, enforce when it has none. With two
   * different mode flags (which the parser refuses) the first one written is returned.
   */
  public static Mode ofFlags(List<String> flags) {
    for (String f : flags) {
      for (Mode m : values()) {
        if (m.label().equals(f)) {
          return m;
        }
      }
    }
    return ENFORCE;
  }
}
