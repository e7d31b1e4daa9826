package io.svirtctl.render;

import io.svirtctl.plan.Action;
import io.svirtctl.plan.Change;
import io.svirtctl.plan.GuestId;
import io.svirtctl.plan.GuestModeChange;
import io.svirtctl.plan.GuestProfileCreated;
import io.svirtctl.plan.GuestProfilePruned;
import io.svirtctl.plan.GuestProfileRegenerated;
import io.svirtctl.plan.HookChange;
import io.svirtctl.plan.QemuKeyChange;
import io.svirtctl.plan.RulesChange;
import io.svirtctl.plan.TemplateContentChange;
import io.svirtctl.plan.TemplateFlagsChange;
import io.svirtctl.qemuconf.QemuValue;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The before and after of a change as short display strings, shared by the text and JSON
 * renderers. Every kind of change is handled here; an unknown kind is a programming error.
 */
record ChangeView(String label, Optional<String> before, Optional<String> after) {

  static ChangeView of(Change change) {
    if (change instanceof QemuKeyChange c) {
      String dropped =
          c.duplicatesRemoved() == 0
              ? ""
              : " [" + c.duplicatesRemoved() + " later duplicate(s) removed: libvirt reads only the first]";
      return new ChangeView(
          c.resource() + dropped, c.before().map(QemuValue::render), c.after().map(QemuValue::render));
    }
    if (change instanceof TemplateFlagsChange c) {
      return new ChangeView(c.resource(), Optional.of(list(c.before())), Optional.of(list(c.after())));
    }
    if (change instanceof RulesChange c) {
      String label = c.guest().map(g -> guest(g, ".rules")).orElse(c.resource());
      return new ChangeView(label, rules(c.before()), rules(c.after()));
    }
    if (change instanceof TemplateContentChange c) {
      return new ChangeView(
          c.resource(),
          c.existed() ? Optional.of("(current content)") : Optional.empty(),
          Optional.of("(desired content)"));
    }
    if (change instanceof GuestModeChange c) {
      return new ChangeView(
          guest(c.guest(), ".mode"), Optional.of(c.before().label()), Optional.of(c.after().label()));
    }
    if (change instanceof GuestProfileCreated c) {
      int n = c.rules().size();
      String rules = n == 0 ? "" : ", " + n + (n == 1 ? " managed rule" : " managed rules");
      return new ChangeView(
          guest(c.guest(), ""),
          Optional.empty(),
          Optional.of("profile from template, " + c.mode().label() + rules));
    }
    if (change instanceof GuestProfileRegenerated c) {
      return new ChangeView(
          guest(c.guest(), ""),
          Optional.of("(current profile)"),
          Optional.of("regenerated from template (" + c.reason() + ")"));
    }
    if (change instanceof GuestProfilePruned c) {
      String what =
          c.filesList().isPresent()
              ? "profile and its .files"
              : c.path().getFileName().toString().endsWith(".files") ? "left-over .files" : "profile";
      return new ChangeView(
          guest(c.guest(), "") + " [guest no longer defined]", Optional.of(what), Optional.empty());
    }
    if (change instanceof HookChange c) {
      return hook(c);
    }
    throw new IllegalStateException("no view for change kind " + change.getClass().getName());
  }

  private static ChangeView hook(HookChange c) {
    Optional<String> before =
        c.action() == Action.CREATE ? Optional.empty() : Optional.of("(current)");
    Optional<String> after;
    if (c.action() == Action.DELETE) {
      after = Optional.empty();
    } else if (c.part() == HookChange.Part.SCRIPT) {
      after = Optional.of("installed, runs svirtctl hook qemu");
    } else {
      after = Optional.of(c.guests() + " guest(s) recorded");
    }
    return new ChangeView(c.resource(), before, after);
  }

  private static String guest(GuestId g, String suffix) {
    return g.resource() + suffix + g.name().map(n -> " (" + n + ")").orElse("");
  }

  private static Optional<String> rules(List<String> rules) {
    return rules.isEmpty() ? Optional.empty() : Optional.of(list(rules));
  }

  private static String list(List<String> items) {
    return items.stream().map(s -> '"' + s + '"').collect(Collectors.joining(", ", "[", "]"));
  }
}
