package io.svirtctl.plan;

import io.svirtctl.Uuid;
import java.util.Objects;
import java.util.Optional;

/** A guest as output names it: its UUID, and its libvirt domain name when the host defines it. */
public record GuestId(Uuid uuid, Optional<String> name) implements Comparable<GuestId> {

  public GuestId {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
  }

  /** The resource name of this guest in plans: {@code apparmor.guests.<uuid>}. */
  public String resource() {
    return "apparmor.guests." + uuid;
  }

  /** The AppArmor profile name libvirt uses for this guest. */
  public String profileName() {
    return uuid.profileName();
  }

  @Override
  public int compareTo(GuestId o) {
    return uuid.compareTo(o.uuid);
  }
}
