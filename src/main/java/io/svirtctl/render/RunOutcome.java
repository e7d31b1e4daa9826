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
 * @param exitCode the run's exit code, which JSON reports as {@code rc} when the run failed
 */
public record RunOutcome(
    Plan plan, boolean checkMode, List<String> reloaded, boolean showDiff, int exitCode) {

  /** The outcome of a run that did not fail. */
  public RunOutcome(Plan plan, boolean checkMode, List<String> reloaded, boolean showDiff) {
    this(plan, checkMode, reloaded, showDiff, 0);
  }

  public RunOutcome {
    Objects.requireNonNull(plan, "plan");
    reloaded = List.copyOf(reloaded);
  }

  /** The one-line summary ({@code msg} in JSON). */
  public String message() {
    int n = plan.changes().size();
    String changes = n == 1 ? "1 change" : n + " changes";
    String done = n == 0 ? "no changes" : checkMode ? changes + " to apply" : changes + " applied";
    if (!plan.failed()) {
      return done;
    }
    long resources = plan.failures().stream().map(f -> f.resource()).distinct().count();
    return done + "; " + resources + " resource(s) not applied: "
        + plan.failures().get(0) + (plan.failures().size() > 1 ? " (and more)" : "");
  }
}
