package io.svirtctl.state;

import java.util.Locale;

/** How svirtctl brings an existing guest profile to the desired state. */
public enum ProfilesPolicy {
  /** Edit only the header flags and svirtctl's managed block; keep the rest of the file. */
  ADOPT,
  /** Regenerate the profile from the template, as libvirt would, then apply flags and rules. */
  RENDER;

  /** The lowercase name used in YAML. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
