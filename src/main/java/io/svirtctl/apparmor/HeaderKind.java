package io.svirtctl.apparmor;

/** How a profile header introduces its block. */
public enum HeaderKind {
  /** {@code profile NAME ...}: a named profile, top level or child. */
  PROFILE,
  /** {@code /path ...}, {@code "/path" ...}, {@code @{var} ...} or {@code :ns:name ...}: a profile named by its path. */
  PATH,
  /** {@code ^name ...} or {@code hat name ...}: a hat. */
  HAT
}
