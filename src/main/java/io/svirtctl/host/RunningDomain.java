package io.svirtctl.host;

import java.util.Objects;

/**
 * A guest libvirt runs now, as its status XML in {@code /run/libvirt/qemu/} says: the {@code
 * <domain>} inside {@code <domstatus>} and the state libvirt recorded ({@code running}, {@code
 * paused}, ...). Transient guests have only this file; libvirt removes it when the guest stops.
 *
 * @param domain the name and UUID, with the status XML's path as seen inside the root
 * @param state the {@code state} attribute of {@code <domstatus>}
 */
public record RunningDomain(DomainDefinition domain, String state) {

  public RunningDomain {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(state, "state");
  }
}
