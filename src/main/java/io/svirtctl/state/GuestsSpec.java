package io.svirtctl.state;

import io.svirtctl.apparmor.Mode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired guest profiles.
 *
 * @param defaultMode the mode of every known guest not in {@code list}; empty leaves their modes
 *     alone
 * @param profiles how existing profiles are brought to the desired state (default {@code ADOPT})
 * @param prune whether profiles of guests that no longer exist are deleted
 * @param hook whether the libvirt qemu hook that restores a guest's profile is installed
 * @param list guests with their own settings, sorted by UUID or name
 */
public record GuestsSpec(
    Optional<Mode> defaultMode,
    ProfilesPolicy profiles,
    boolean prune,
    boolean hook,
    List<GuestSpec> list) {

  public GuestsSpec {
    Objects.requireNonNull(defaultMode, "defaultMode");
    Objects.requireNonNull(profiles, "profiles");
    list = List.copyOf(list);
  }

  /** Guests left as they are. */
  public static GuestsSpec unmanaged() {
    return new GuestsSpec(Optional.empty(), ProfilesPolicy.ADOPT, false, false, List.of());
  }
}
