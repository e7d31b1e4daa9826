package io.svirtctl.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * One result of {@code svirtctl doctor}: what was checked, how it stands, and how to fix it.
 *
 * @param check a stable identifier, e.g. {@code apparmor.enabled}
 */
public record Finding(String check, Severity severity, String message, Optional<String> fix) {

  public Finding {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(fix, "fix");
  }

  static Finding ok(String check, String message) {
    return new Finding(check, Severity.OK, message, Optional.empty());
  }

  static Finding of(String check, Severity severity, String message, String fix) {
    return new Finding(check, severity, message, Optional.of(fix));
  }
}
