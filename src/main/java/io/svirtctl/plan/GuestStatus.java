package io.svirtctl.plan;

import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import java.util.Objects;
import java.util.Optional;

/**
 * One guest as {@code status} shows it.
 *
 * @param name the libvirt domain name, when a domain XML names the UUID
 * @param mode the mode in the profile file; empty when there is no profile file, or it does not
 *     parse ({@code problem} then says why)
 * @param loadedMode the mode the kernel shows for {@code libvirt-<uuid>}; empty when not loaded
 * @param managedRules how many rules the profile's svirtctl-managed block holds
 * @param inSync with a desired state: true when the plan changes nothing of this guest
 * @param problem why the profile could not be read, if it could not
 */
public record GuestStatus(
    Uuid uuid,
    Optional<String> name,
    GuestState state,
    Optional<Mode> mode,
    Optional<String> loadedMode,
    int managedRules,
    Optional<Boolean> inSync,
    Optional<String> problem) {

  public GuestStatus {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(loadedMode, "loadedMode");
    Objects.requireNonNull(inSync, "inSync");
    Objects.requireNonNull(problem, "problem");
    if (managedRules < 0) {
      throw new IllegalArgumentException("a rule count is never negative");
    }
  }

  /** Whether the guest runs (persistent or transient). */
  public boolean running() {
    return state == GuestState.RUNNING || state == GuestState.TRANSIENT;
  }
}
