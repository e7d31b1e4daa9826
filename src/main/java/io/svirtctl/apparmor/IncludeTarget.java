package io.svirtctl.apparmor;

import java.util.Objects;

/**
 * The file an {@code include <name>} rule pulls in, searched for under the host's
 * {@code /etc/apparmor.d}.
 *
 * @param name the path between the angle brackets, relative, without {@code .} or {@code ..}
 * @param ifExists whether the rule is {@code include if exists} (a missing file is no error)
 */
public record IncludeTarget(String name, boolean ifExists) {

  public IncludeTarget {
    Objects.requireNonNull(name, "name");
  }
}
