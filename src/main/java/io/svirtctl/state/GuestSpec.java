package io.svirtctl.state;

import io.svirtctl.SourceLocation;
import io.svirtctl.apparmor.Mode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired profile of one listed guest.
 *
 * @param mode empty means the guests' {@code default_mode} (or the mode as found) applies
 * @param rules the guest's managed block of rules; empty when not managed
 * @param location where the guest's key is written in the state file
 */
public record GuestSpec(
    GuestRef ref, Optional<Mode> mode, Optional<List<String>> rules, SourceLocation location) {

  public GuestSpec {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(mode, "mode");
    rules = rules.map(List::copyOf);
    Objects.requireNonNull(location, "location");
  }
}
