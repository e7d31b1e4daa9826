package io.svirtctl.host;

import io.svirtctl.Uuid;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A guest libvirt knows persistently: the {@code <name>} and {@code <uuid>} of one domain XML file,
 * with that file's path as seen inside the root, and its domain-level {@code <seclabel>}s.
 */
public record DomainDefinition(String name, Uuid uuid, Path file, List<Seclabel> seclabels) {

  /** A domain without {@code <seclabel>}: libvirt labels it by the host's defaults. */
  public DomainDefinition(String name, Uuid uuid, Path file) {
    this(name, uuid, file, List.of());
  }

  public DomainDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(file, "file");
    seclabels = List.copyOf(seclabels);
    if (name.isBlank()) {
      throw new IllegalArgumentException("a domain name must not be blank");
    }
  }
}
