package io.svirtctl.plan;

import java.util.Locale;

/** How a host knows a guest, as {@code status} reports it (DESIGN.md section 3). */
public enum GuestState {
  /** A persistent domain XML defines it and it is not known to run. */
  DEFINED,
  /** Defined and running. */
  RUNNING,
  /** Running without a persistent definition. */
  TRANSIENT,
  /** Only its {@code libvirt-<uuid>} profile is left (a file, or a profile loaded in the kernel). */
  PROFILE_ONLY;

  /** The lowercase name output uses: {@code profile-only}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
