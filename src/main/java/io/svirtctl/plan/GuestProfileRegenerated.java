package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An existing guest profile is regenerated from the template ({@code profiles: render}, or a
 * 0-byte profile that libvirt would regenerate anyway). {@code reason} says which.
 */
public record GuestProfileRegenerated(GuestId guest, Path path, String reason) implements Change {

  public GuestProfileRegenerated {
    Objects.requireNonNull(guest, "guest");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public Action action() {
    return Action.UPDATE;
  }

  @Override
  public String resource() {
    return guest.resource();
  }
}
