package io.svirtctl.apply;

import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.RunLock;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.Plan;
import io.svirtctl.plan.Planner;
import io.svirtctl.state.HostState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run on one host: read a snapshot, plan, and (unless checking) apply under the run lock.
 * Decisions stay in the planner; writing stays in the applier.
 */
public final class Reconciler {

  private final HostLayout layout;
  private final ApparmorParser parser;
  private final Clock clock;

  public Reconciler(HostLayout layout, ApparmorParser parser, Clock clock) {
    this.layout = layout;
    this.parser = parser;
    this.clock = clock;
  }

  /** Plans without writing anything and without taking the lock. */
  public Report plan(HostState desired) {
    HostSnapshot snap = SnapshotReader.read(layout);
    Plan plan = Planner.plan(desired, snap, KernelStatus.read(layout));
    return new Report(checked(plan, snap, desired), Optional.empty());
  }

  /**
   * Plans and applies under the run lock.
   *
   * @param check plan only ({@code --check}); the lock is still taken so the plan is current,
   *     but only when it exists already: a check creates nothing under the root
   * @param reload false for {@code --no-reload}
   */
  public Report apply(HostState desired, String command, boolean check, boolean reload) {
    if (check) {
      Optional<RunLock> lock = RunLock.acquireIfPresent(layout);
      try {
        return new Report(planChecked(desired), Optional.empty());
      } finally {
        lock.ifPresent(RunLock::close);
      }
    }
    try (RunLock lock = RunLock.acquire(layout)) {
      Plan plan = planChecked(desired);
      ApplyResult result = new Applier(layout, parser, clock).apply(plan, command, reload);
      return new Report(withWarnings(plan, result.warnings()), Optional.of(result));
    }
  }

  private Plan planChecked(HostState desired) {
    HostSnapshot snap = SnapshotReader.read(layout);
    return checked(Planner.plan(desired, snap, KernelStatus.read(layout)), snap, desired);
  }

  /**
   * The plan once apparmor_parser accepted everything it reaches: plan, {@code --check} and apply
   * all run this same check, so they agree on what apply would refuse (65).
   */
  private Plan checked(Plan plan, HostSnapshot snap, HostState desired) {
    return withWarnings(plan, new ProfileChecker(layout, parser).check(plan, snap, desired.ruleOrigins()));
  }

  private static Plan withWarnings(Plan plan, List<String> extra) {
    if (extra.isEmpty()) {
      return plan;
    }
    List<String> warnings = new ArrayList<>(plan.warnings());
    warnings.addAll(extra);
    return new Plan(
        plan.host(), plan.changes(), plan.files(), plan.reloads(), plan.restartRequired(),
        warnings, plan.inputs(), plan.failures());
  }

  /** A run's plan and, when it applied, what the applier did. */
  public record Report(Plan plan, Optional<ApplyResult> result) {

    /** The profiles the run replaced in the kernel. */
    public List<String> reloaded() {
      return result.map(ApplyResult::reloaded).orElse(List.of());
    }
  }
}
