package io.svirtctl.plan;

import io.svirtctl.Uuid;
import io.svirtctl.apparmor.RuleSnippet;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.state.ReloadPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Plans the rules every guest gets. With libvirt 9.6 or later's drop-in directory
 * ({@code abstractions/libvirt-qemu.d/}) svirtctl owns one file there; otherwise it keeps a
 * managed block in the Debian-style local include {@code local/abstractions/libvirt-qemu}.
 */
final class SiteRulesPlanner {

  static final String DROP_IN_HEADER =
      "# Rules for every QEMU guest, managed by svirtctl (apparmor.site_rules). Do not edit.\n";

  /** An include of libvirt's QEMU abstraction, as libvirt's template writes it. */
  private static final Pattern QEMU_ABSTRACTION =
      Pattern.compile("(?m)^[ \\t]*#?include[ \\t]+(?:if[ \\t]+exists[ \\t]+)?<abstractions/libvirt-qemu>");

  private SiteRulesPlanner() {}

  /**
   * Plans the site rules; when they change, every guest profile that includes libvirt's QEMU
   * abstraction (which includes the site rules) is reloaded as {@code reload} says, since the
   * kernel keeps the compiled rules until then.
   */
  static void plan(
      Optional<List<String>> siteRules,
      HostSnapshot snap,
      KernelStatus kernel,
      ReloadPolicy reload,
      PlanBuilder out) {
    HostFile file = snap.siteRulesDropInDir() ? snap.siteRulesDropIn() : snap.siteRulesLocal();
    if (siteRules.isPresent() && snap.undecodable(file).isPresent()) {
      // Never rewritten: its bytes outside the managed block are the admins'.
      out.fail("apparmor.site_rules", List.of(snap.undecodable(file).get()));
      return;
    }
    if (siteRules.isPresent() && planFile(siteRules.get(), snap, out)) {
      reloadGuests(snap, kernel, reload, out);
    }
  }

  /**
   * Reloads the guest profiles that include the abstraction. The planner reads no file, so
   * "includes" is what libvirt's template writes: an include of {@code abstractions/libvirt-qemu}
   * in the profile (that abstraction includes the site rules); the profile check before the first
   * write compiles everything that includes the changed file, however deep.
   */
  private static void reloadGuests(
      HostSnapshot snap, KernelStatus kernel, ReloadPolicy reload, PlanBuilder out) {
    for (Map.Entry<Uuid, HostFile> e : snap.guestProfiles().entrySet()) {
      HostFile file = e.getValue();
      String name = e.getKey().profileName();
      boolean includes = file.text().map(t -> QEMU_ABSTRACTION.matcher(t).find()).orElse(false);
      if (includes && !out.deletes(file.path()) && reload.wants(kernel.enabled(), kernel.loadedProfiles().containsKey(name))) {
        out.reload(new ProfileReload(name, file.path()));
      }
    }
  }

  /** Plans the site rules' file; true when it changes. */
  private static boolean planFile(List<String> rules, HostSnapshot snap, PlanBuilder out) {
    if (snap.siteRulesDropInDir()) {
      HostFile file = snap.siteRulesDropIn();
      List<String> before = file.text().map(RuleSnippet::managedRules).orElse(List.of());
      if (rules.isEmpty()) {
        if (file.exists()) {
          out.delete(file);
          out.change(RulesChange.site(file.path(), before, rules));
          return true;
        }
        return false;
      }
      String after = RuleSnippet.withManagedRules(DROP_IN_HEADER, rules);
      if (out.write(file, after, false)) {
        out.change(RulesChange.site(file.path(), before, rules));
        return true;
      }
      return false;
    }
    HostFile file = snap.siteRulesLocal();
    String text = file.text().orElse("");
    List<String> before = RuleSnippet.managedRules(text);
    String after = RuleSnippet.withManagedRules(text, rules);
    if (!file.exists() && rules.isEmpty()) {
      return false;
    }
    if (out.write(file, after, false)) {
      out.change(RulesChange.site(file.path(), before, rules));
      return true;
    }
    return false;
  }
}
