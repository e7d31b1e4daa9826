package io.svirtctl.plan;

import java.util.Objects;

/**
 * A resource a run could not plan because a host file it depends on cannot be read or parsed;
 * the run leaves it untouched and still applies every independent change (DESIGN.md section 3).
 *
 * @param resource what was not applied, as change lines name resources
 * @param error why, with the file and position ({@code file:line:col: message})
 */
public record Failure(String resource, String error) {

  public Failure {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(error, "error");
  }

  @Override
  public String toString() {
    return resource + ": not applied: " + error;
  }
}
