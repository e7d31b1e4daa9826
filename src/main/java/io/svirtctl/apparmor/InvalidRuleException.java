package io.svirtctl.apparmor;

/** A state file's rule that is not exactly one AppArmor rule svirtctl can insert; the message says why. */
public final class InvalidRuleException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  InvalidRuleException(String message) {
    super(message);
  }
}
