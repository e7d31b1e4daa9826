package io.svirtctl.state;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.apparmor.ProfileHeader;
import io.svirtctl.state.YNode.Entry;
import io.svirtctl.state.YNode.YMap;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guard rail {@code policy.allow_unconfined}: unless it is true, a state that would run a
 * guest outside sVirt confinement is refused, at the position of the setting that would do it.
 * The ways out checked here are the settings (driver {@code none}, {@code
 * security_default_confined} off, an {@code unconfined} template flag or guest mode); rules that
 * leave confinement are refused by the rule checks.
 *
 * <p>It reads the host's body as written (after a Fleet merge), so it judges exactly what the
 * user declared, whatever shape the records take.
 */
final class UnconfinedPolicy {

  private static final String REFUSED = "; refused unless policy.allow_unconfined: true";

  private final Problems problems;
  private final String note;

  /**
   * @param problems where refusals go
   * @param note appended to each message (names the host of a Fleet)
   */
  UnconfinedPolicy(Problems problems, String note) {
    this.problems = problems;
    this.note = note;
  }

  /** Checks one host's body; {@code prefix} is the YAML path of the body ("" for a Host file). */
  void check(YMap body, String prefix) {
    if (allowed(body)) {
      return;
    }
    child(body, "qemu_conf").ifPresent(q -> qemuConf(q, SpecBinder.join(prefix, "qemu_conf")));
    child(body, "apparmor").ifPresent(a -> apparmor(a, SpecBinder.join(prefix, "apparmor")));
  }

  private static boolean allowed(YMap body) {
    return child(body, "policy")
        .flatMap(p -> Optional.ofNullable(p.entries().get("allow_unconfined")))
        .map(e -> e.value() instanceof YNode.YBool b && b.value())
        .orElse(false);
  }

  private void qemuConf(YMap q, String path) {
    Entry driver = q.entries().get("security_driver");
    if (driver != null) {
      List<YNode> items = driver.value() instanceof YNode.YList l ? l.items() : List.of(driver.value());
      if (items.stream().anyMatch(n -> n instanceof YNode.YStr s && s.value().equals("none"))) {
        refuse(driver.keyLocation(), path + ".security_driver",
            "'none' runs every guest without sVirt confinement");
      }
    }
    Entry confined = q.entries().get("security_default_confined");
    if (confined != null && isOff(confined.value())) {
      refuse(confined.value().location(), path + ".security_default_confined",
          "false runs every guest without a <seclabel> of its own unconfined");
    }
  }

  private static boolean isOff(YNode n) {
    return (n instanceof YNode.YBool b && !b.value())
        || (n instanceof YNode.YInt i && i.value().equals(BigInteger.ZERO));
  }

  private void apparmor(YMap a, String path) {
    child(a, "template").ifPresent(t -> template(t, path + ".template"));
    child(a, "guests").ifPresent(g -> guests(g, path + ".guests"));
  }

  private void template(YMap t, String path) {
    Entry flags = t.entries().get("flags");
    if (flags != null && flags.value() instanceof YNode.YList l) {
      for (int i = 0; i < l.items().size(); i++) {
        if (l.items().get(i) instanceof YNode.YStr s && s.value().equals(Mode.UNCONFINED.label())) {
          refuse(s.location(), path + ".flags[" + i + "]",
              "the flag 'unconfined' makes every new guest profile confine nothing");
        }
      }
    }
    Entry content = t.entries().get("content");
    if (content != null && content.value() instanceof YNode.YStr s && unconfinedTemplate(s.value())) {
      refuse(s.location(), path + ".content",
          "the template's profile has the flag 'unconfined': every new guest profile would confine nothing");
    }
  }

  private static boolean unconfinedTemplate(String content) {
    try {
      return ProfileDocument.parse("template content", content).headers().stream()
          .map(ProfileHeader::flags)
          .anyMatch(f -> Mode.ofFlags(f) == Mode.UNCONFINED);
    } catch (InvalidInputException e) {
      // A template that does not parse is refused by the parser check with its own message.
      return false;
    }
  }

  private void guests(YMap g, String path) {
    mode(g.entries().get("default_mode"), path + ".default_mode");
    child(g, "list").ifPresent(list -> {
      for (Map.Entry<String, Entry> e : list.entries().entrySet()) {
        if (e.getValue().value() instanceof YMap guest) {
          mode(guest.entries().get("mode"), SpecBinder.child(path + ".list", e.getKey()) + ".mode");
        }
      }
    });
  }

  private void mode(Entry mode, String path) {
    if (mode != null && mode.value() instanceof YNode.YStr s && s.value().equals(Mode.UNCONFINED.label())) {
      refuse(s.location(), path, "mode 'unconfined' leaves the guest without confinement");
    }
  }

  private void refuse(SourceLocation at, String path, String why) {
    problems.add(at, path, why + REFUSED + note);
  }

  private static Optional<YMap> child(YMap m, String key) {
    Entry e = m.entries().get(key);
    return e != null && e.value() instanceof YMap c ? Optional.of(c) : Optional.empty();
  }
}
