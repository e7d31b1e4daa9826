package io.svirtctl.apparmor;

import java.util.Locale;

/** The confinement mode of a guest profile: enforce (no mode flag) or complain. */
public enum Mode {
  ENFORCE,
  COMPLAIN;

  /** The lowercase name used in YAML, flags and output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
