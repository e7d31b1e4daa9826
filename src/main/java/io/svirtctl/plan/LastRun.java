package io.svirtctl.plan;

import java.time.Instant;
import java.util.Objects;

/**
 * The newest run in svirtctl's journal, as {@code status} shows it.
 *
 * @param complete false when the run stopped part-way (or crashed)
 */
public record LastRun(String id, Instant time, String command, boolean complete) {

  public LastRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(command, "command");
  }
}
