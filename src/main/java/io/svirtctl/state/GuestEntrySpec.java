package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.svirtctl.apparmor.Mode;
import java.util.List;

/** The shape of one entry of {@code apparmor.guests.list} as written. */
record GuestEntrySpec(
    @JsonProperty("mode") @JsonPropertyDescription("enforce or complain.") Mode mode,
    @JsonProperty("rules")
        @JsonPropertyDescription("The guest's own rules, one AppArmor rule per item, each ending in ','.")
        List<String> rules) {}
