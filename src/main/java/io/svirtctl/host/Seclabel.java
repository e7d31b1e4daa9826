package io.svirtctl.host;

import io.svirtctl.SourceLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * A domain-level {@code <seclabel>} of a domain XML: how libvirt labels the guest for a security
 * driver. {@code type='none'} (for every driver when it names no model) runs the guest without
 * that confinement; a model names the driver it is for ({@code apparmor}, {@code selinux},
 * {@code dac}).
 *
 * @param type the {@code type} attribute ({@code dynamic}, {@code static}, {@code none}), empty
 *     string when absent (libvirt's default is dynamic)
 * @param model the {@code model} attribute, when given
 * @param location where the element is written
 */
public record Seclabel(String type, Optional<String> model, SourceLocation location) {

  public Seclabel {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(location, "location");
  }
}
