package io.svirtctl.plan;

import io.svirtctl.apparmor.Mode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A guest without a profile gets one instantiated from the template, in its mode and with its
 * rules; libvirt reuses an existing profile file when the guest starts.
 */
public record GuestProfileCreated(GuestId guest, Path path, Mode mode, List<String> rules)
    implements Change {

  public GuestProfileCreated {
    Objects.requireNonNull(guest, "guest");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(mode, "mode");
    rules = List.copyOf(rules);
  }

  @Override
  public Action action() {
    return Action.CREATE;
  }

  @Override
  public String resource() {
    return guest.resource();
  }
}
