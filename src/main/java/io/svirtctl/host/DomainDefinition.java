package io.svirtctl.host;

import io.svirtctl.Uuid;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A guest libvirt knows persistently: the {@code <name>} and {@code <uuid>} of one domain XML file,
 * with that file's path as seen inside the root.
 */
public record DomainDefinition(String name, Uuid uuid, Path file) {

  public DomainDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(file, "file");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a domain name must not be blank");
    }
  }
}
