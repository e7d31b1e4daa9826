package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.svirtctl.apparmor.Mode;
import java.util.Map;

/** The shape of {@code apparmor.guests:} as written. */
record GuestsFileSpec(
    @JsonProperty("default_mode")
        @JsonPropertyDescription("Mode of every known guest not listed; absent: leave them alone.")
        Mode defaultMode,
    @JsonProperty("profiles")
        @JsonPropertyDescription("adopt: edit flags and the managed block; render: regenerate from the template.")
        ProfilesPolicy profiles,
    @JsonProperty("prune")
        @JsonPropertyDescription("Delete profiles of guests that no longer exist.")
        Boolean prune,
    @JsonProperty("hook")
        @JsonPropertyDescription("Install the libvirt qemu hook that restores a guest's profile.")
        Boolean hook,
    @JsonProperty("list")
        @JsonPropertyDescription("Guests by UUID (any case) or libvirt domain name.")
        Map<String, GuestEntrySpec> list) {}
