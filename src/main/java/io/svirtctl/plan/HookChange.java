package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The libvirt qemu hook ({@code apparmor.guests.hook}) is installed or removed, or the record it
 * restores guest profiles from changes.
 *
 * @param part which of the hook's two files changes
 * @param guests how many guests the record names after the change (0 for the script)
 */
public record HookChange(Part part, Path path, Action action, int guests) implements Change {

  /** The hook's files: the script libvirt runs and the record it reads. */
  public enum Part {
    SCRIPT("apparmor.guests.hook"),
    RECORD("apparmor.guests.hook.record");

    private final String resource;

    Part(String resource) {
      this.resource = resource;
    }
  }

  public HookChange {
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(action, "action");
    if (guests < 0) {
      throw new IllegalArgumentException("a guest count is never negative");
    }
  }

  @Override
  public String resource() {
    return part.resource;
  }
}
