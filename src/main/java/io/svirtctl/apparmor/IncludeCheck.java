package io.svirtctl.apparmor;

import java.util.Optional;

/**
 * Whether an {@code include <name>} rule names a file of a host's {@code /etc/apparmor.d}. The
 * lexer reads rules without a host; this check runs where a root is known.
 */
@FunctionalInterface
public interface IncludeCheck {

  /** Accepts every include: for validation without a host (the parser check still runs at apply). */
  IncludeCheck ANY = target -> Optional.empty();

  /** Why {@code target} cannot be included on this host; empty when it can. */
  Optional<String> problem(IncludeTarget target);
}
