package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The shape of {@code policy:} as written. */
record PolicyFileSpec(
    @JsonProperty("allow_unconfined")
        @JsonPropertyDescription("Accept security_driver none (guests without sVirt).")
        Boolean allowUnconfined) {}
