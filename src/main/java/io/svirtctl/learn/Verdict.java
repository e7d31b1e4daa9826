package io.svirtctl.learn;

/** What AppArmor did with an access: the {@code apparmor="…"} field of a record. */
public enum Verdict {
  /** Allowed because the profile is in complain mode: a rule the guest will need in enforce. */
  ALLOWED,
  /** Refused by an enforcing profile. */
  DENIED,
  /** Allowed and audited by an {@code audit} rule: already allowed. */
  AUDIT,
  /** Profile loads, replacements and similar notices. */
  STATUS,
  /** Hints of old kernels (fork, exec of an unknown profile). */
  HINT,
  /** An error AppArmor reported. */
  ERROR;

  /** Whether records of this verdict are accesses a profile does not allow yet. */
  public boolean wantsRule() {
    return this == ALLOWED || this == DENIED;
  }
}
