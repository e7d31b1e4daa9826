package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** The profile (and its {@code .files} list) of a guest that no longer exists is deleted. */
public record GuestProfilePruned(GuestId guest, Path path, Optional<Path> filesList)
    implements Change {

  public GuestProfilePruned {
    Objects.requireNonNull(guest, "guest");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(filesList, "filesList");
  }

  @Override
  public Action action() {
    return Action.DELETE;
  }

  @Override
  public String resource() {
    return guest.resource();
  }
}
