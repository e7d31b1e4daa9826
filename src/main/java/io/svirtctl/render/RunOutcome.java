package io.svirtctl.render;

import io.svirtctl.plan.Plan;
import java.util.List;
import java.util.Objects;

/**
 * What a run did with its plan, as renderers print it.
 *
 * @param checkMode true when nothing was written (plan, {@code --check})
 * @param reloaded the profiles replaced in the kernel
 * @param showDiff true when text output shows unified diffs
 */
public record RunOutcome(Plan plan, boolean checkMode, List<String> reloaded, boolean showDiff) {

  public RunOutcome {
    Objects.requireNonNull(plan, "plan");
    reloaded = List.copyOf(reloaded);
  }

  /** The one-line summary ({@code msg} in JSON). */
  public String message() {
    int n = plan.changes().size();
    if (n == 0) {
      return "no changes";
    }
    String changes = n == 1 ? "1 change" : n + " changes";
    return checkMode ? changes + " to apply" : changes + " applied";
  }
}
