package io.svirtctl.apply;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A run's {@code manifest.json} as written to the journal (keys in this fixed order). */
@JsonPropertyOrder({"format_version", "id", "time", "command", "status", "summary"})
record ManifestJson(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("id") String id,
    @JsonProperty("time") String time,
    @JsonProperty("command") String command,
    @JsonProperty("status") String status,
    @JsonProperty("summary") String summary) {}
