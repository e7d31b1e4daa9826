package io.svirtctl.plan;

import io.svirtctl.apparmor.Mode;
import java.nio.file.Path;
import java.util.Objects;

/** An existing guest profile switches between enforce and complain. */
public record GuestModeChange(GuestId guest, Path path, Mode before, Mode after)
    implements Change {

  public GuestModeChange {
    Objects.requireNonNull(guest, "guest");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (before == after) {
      throw new IllegalArgumentException("a mode change needs two different modes");
    }
  }

  @Override
  public Action action() {
    return Action.UPDATE;
  }

  @Override
  public String resource() {
    return guest.resource() + ".mode";
  }
}
