package io.svirtctl.host;

import io.svirtctl.Diagnostic;
import io.svirtctl.Uuid;
import java.util.List;
import java.util.Objects;

/**
 * A domain or status XML that a snapshot could not use: it does not parse, lacks its name or
 * UUID, or defines a UUID or name another file defines too. Such a file makes the guests it may
 * describe unknown, so a run does not prune and fails the changes of the guests named here.
 *
 * @param diagnostic the file, position and reason
 * @param guests the UUIDs the file is known to concern (both definitions of a duplicate)
 * @param names the domain names it may concern: those of a duplicate, or for a file that does
 *     not parse the name libvirt gives such files ({@code <name>.xml})
 */
public record DomainProblem(Diagnostic diagnostic, List<Uuid> guests, List<String> names) {

  public DomainProblem {
    Objects.requireNonNull(diagnostic, "diagnostic");
    guests = List.copyOf(guests);
    names = List.copyOf(names);
  }
}
