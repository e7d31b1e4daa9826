package io.svirtctl.apply;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One {@code entry-NNNNNN.json} of a run: which file, and the fingerprint of its previous bytes.
 */
@JsonPropertyOrder({"path", "before"})
record EntryJson(@JsonProperty("path") String path, @JsonProperty("before") String before) {}
