package io.svirtctl.apply;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One {@code batch-NNNNNN.json} of a run: the files of one batch, in order, each with the
 * fingerprint of its previous bytes and where they sit in {@code batch-NNNNNN.before}.
 */
@JsonPropertyOrder({"entries"})
record BatchJson(@JsonProperty("entries") List<Entry> entries) {

  /** One file of the batch. */
  @JsonPropertyOrder({"path", "before", "offset", "length"})
  record Entry(
      @JsonProperty("path") String path,
      @JsonProperty("before") String before,
      @JsonProperty("offset") long offset,
      @JsonProperty("length") long length) {}
}
