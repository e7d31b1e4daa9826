package io.svirtctl.render;

import io.svirtctl.plan.Action;
import io.svirtctl.plan.Change;
import io.svirtctl.plan.Failure;
import io.svirtctl.plan.FileOperation;
import io.svirtctl.plan.Plan;
import io.svirtctl.plan.ProfileReload;
import java.io.PrintWriter;

/** Human output: one Terraform-like line per change, diffs on request, a summary line. */
final class TextRenderer implements Renderer {

  private static final String ARROW = " \u2192 ";

  @Override
  public void render(RunOutcome outcome, PrintWriter out) {
    Plan plan = outcome.plan();
    for (Change change : plan.changes()) {
      out.println(line(change));
    }
    if (outcome.showDiff()) {
      for (FileOperation op : plan.files()) {
        for (String l : UnifiedDiff.of(op)) {
          out.println(l);
        }
      }
    }
    for (Failure f : plan.failures()) {
      out.println("! " + f);
    }
    for (String w : plan.warnings()) {
      out.println("warning: " + w);
    }
    if (!plan.restartRequired().isEmpty()) {
      out.println("restart required: " + String.join(", ", plan.restartRequired()));
    }
    if (outcome.checkMode()) {
      for (ProfileReload r : plan.reloads()) {
        out.println("will reload: " + r.profileName());
      }
    }
    for (String r : outcome.reloaded()) {
      out.println("reloaded: " + r);
    }
    out.println(summary(outcome));
    out.flush();
  }

  static String line(Change change) {
    ChangeView v = ChangeView.of(change);
    String head = change.action().symbol() + " " + v.label() + ": ";
    return switch (change.action()) {
      case CREATE -> head + v.after().orElse("");
      case DELETE -> head + v.before().orElse("") + v.after().map(a -> ARROW + a).orElse("");
      case UPDATE -> head + v.before().orElse("(none)") + ARROW + v.after().orElse("(none)");
    };
  }

  private static String summary(RunOutcome outcome) {
    String done = done(outcome);
    long failed = outcome.plan().failures().stream().map(Failure::resource).distinct().count();
    return failed == 0 ? done
        : done.substring(0, done.length() - 1) + "; " + failed + " resource(s) not applied.";
  }

  private static String done(RunOutcome outcome) {
    Plan plan = outcome.plan();
    if (!plan.changed() && plan.failed()) {
      return "No other changes for host " + plan.host() + ".";
    }
    if (!plan.changed()) {
      return "No changes: host " + plan.host() + " is in sync.";
    }
    long create = plan.count(Action.CREATE);
    long update = plan.count(Action.UPDATE);
    long delete = plan.count(Action.DELETE);
    if (outcome.checkMode()) {
      return "Plan for host " + plan.host() + ": " + create + " to create, " + update
          + " to update, " + delete + " to delete.";
    }
    return "Applied to host " + plan.host() + ": " + create + " created, " + update
        + " updated, " + delete + " deleted.";
  }
}
