package io.svirtctl.apply;

import java.util.List;
import java.util.Optional;

/**
 * What an apply did: the journal run that holds the previous bytes (empty when nothing was
 * written), the profiles replaced in the kernel, and what the operator should know.
 */
public record ApplyResult(Optional<String> runId, List<String> reloaded, List<String> warnings) {

  public ApplyResult {
    reloaded = List.copyOf(reloaded);
    warnings = List.copyOf(warnings);
  }
}
