package io.svirtctl.plan;

import io.svirtctl.apparmor.RuleSnippet;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * Plans the rules every guest gets. With libvirt 9.6 or later's drop-in directory
 * ({@code abstractions/libvirt-qemu.d/}) svirtctl owns one file there; otherwise it keeps a
 * managed block in the Debian-style local include {@code local/abstractions/libvirt-qemu}.
 */
final class SiteRulesPlanner {

  static final String DROP_IN_HEADER =
      "# Rules for every QEMU guest, managed by svirtctl (apparmor.site_rules). Do not edit.\n";

  private SiteRulesPlanner() {}

  static void plan(Optional<List<String>> siteRules, HostSnapshot snap, PlanBuilder out) {
    if (siteRules.isEmpty()) {
      return;
    }
    List<String> rules = siteRules.get();
    if (snap.siteRulesDropInDir()) {
      HostFile file = snap.siteRulesDropIn();
      List<String> before = file.text().map(RuleSnippet::managedRules).orElse(List.of());
      if (rules.isEmpty()) {
        if (file.exists()) {
          out.delete(file);
          out.change(RulesChange.site(file.path(), before, rules));
        }
        return;
      }
      String after = RuleSnippet.withManagedRules(DROP_IN_HEADER, rules);
      if (out.write(file, after, false)) {
        out.change(RulesChange.site(file.path(), before, rules));
      }
      return;
    }
    HostFile file = snap.siteRulesLocal();
    String text = file.text().orElse("");
    List<String> before = RuleSnippet.managedRules(text);
    String after = RuleSnippet.withManagedRules(text, rules);
    if (!file.exists() && rules.isEmpty()) {
      return;
    }
    if (out.write(file, after, false)) {
      out.change(RulesChange.site(file.path(), before, rules));
    }
  }
}
