package io.svirtctl.learn;

import io.svirtctl.Uuid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What learn found for one guest.
 *
 * @param name the domain name, when a domain XML under the root names the UUID
 * @param events records of the guest's profile (or its children) that asked for an access
 * @param rules the rules proposed, in the order their first event was seen
 * @param alreadyAllowed distinct rules left out because the declared rules allow them
 * @param refused distinct rules left out because the declared policy or rule check refuses them
 */
public record LearnedGuest(Uuid uuid, Optional<String> name, long events, List<String> rules,
    int alreadyAllowed, List<String> refused) {

  public LearnedGuest {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
    rules = List.copyOf(rules);
    refused = List.copyOf(refused);
  }

  /** The key a state file lists the guest under: its name when known, else its UUID. */
  public String key() {
    return name.orElse(uuid.value());
  }
}
