package io.svirtctl.state;

import io.svirtctl.Uuid;
import java.util.Objects;

/**
 * How a state file names a guest: by its UUID, or by its libvirt domain name (resolved to a UUID
 * through the host's domain XML by the reconciler).
 */
public sealed interface GuestRef permits GuestRef.ByUuid, GuestRef.ByName {

  /** The key as svirtctl prints it: the canonical UUID or the name. */
  String label();

  /** A guest named by its UUID, in canonical lowercase form. */
  record ByUuid(Uuid uuid) implements GuestRef {
    public ByUuid {
      Objects.requireNonNull(uuid, "uuid");
    }

    @Override
    public String label() {
      return uuid.value();
    }
  }

  /** A guest named by its libvirt domain name (checked against libvirt's name rules). */
  record ByName(String name) implements GuestRef {
    public ByName {
      Objects.requireNonNull(name, "name");
      if (GuestNames.problem(name).isPresent()) {
        throw new IllegalArgumentException("not a usable domain name: " + name);
      }
    }

    @Override
    public String label() {
      return name;
    }
  }
}
