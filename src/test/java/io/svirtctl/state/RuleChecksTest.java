package io.svirtctl.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import io.svirtctl.apparmor.IncludeCheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleChecksTest {

  private static HostState load(String yaml, IncludeCheck includes) {
    return StateLoader.load("s.yaml", yaml.getBytes(StandardCharsets.UTF_8), Optional.of("hv"), "hv", includes);
  }

  @Test
  void rulesAreNormalisedAndADuplicateIsAWarningNamingBothPositions() {
    HostState s = load("apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  site_rules:\n"
        + "    - \" /srv/a r, \"\n    - \"/srv/b r,  # b\"\n    - \"/srv/a\\tr,  # again\"\n", IncludeCheck.ANY);
    assertThat(s.apparmor().siteRules()).contains(List.of("/srv/a r,", "/srv/b r,  # b", "/srv/a\tr,  # again"));
    assertThat(s.warnings()).hasSize(1);
    assertThat(s.warnings().get(0).toString()).isEqualTo(
        "s.yaml:7:7: apparmor.site_rules[2]: the same rule as apparmor.site_rules[0] at s.yaml:5:7;"
            + " written once per item as declared");
  }

  @Test
  void unconfinedTransitionsNeedThePolicy() {
    String rules = "apparmor:\n  site_rules: [\"/usr/bin/** Ux,\", \"change_profile,\"]\n";
    assertThatThrownBy(() -> load("apiVersion: svirtctl/v1\nkind: Host\n" + rules, IncludeCheck.ANY))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).diagnostics()).extracting(Object::toString)
            .containsExactly(
                "s.yaml:4:16: apparmor.site_rules[0]: 'Ux' executes programs unconfined;"
                    + " refused unless policy.allow_unconfined: true",
                "s.yaml:4:35: apparmor.site_rules[1]: change_profile without '-> target' may change to any"
                    + " profile, unconfined included; refused unless policy.allow_unconfined: true"));
    HostState allowed = load("apiVersion: svirtctl/v1\nkind: Host\npolicy: {allow_unconfined: true}\n" + rules,
        IncludeCheck.ANY);
    assertThat(allowed.apparmor().siteRules().orElseThrow()).hasSize(2);
  }

  @Test
  void includesAreCheckedAgainstTheHostOnlyForTheSelectedHostOfAFleet() {
    IncludeCheck none = t -> Optional.of("include <" + t.name() + "> does not resolve");
    String fleet = "apiVersion: svirtctl/v1\nkind: Fleet\nhosts:\n"
        + "  other: {apparmor: {site_rules: [\"include <abstractions/x>\"]}}\n"
        + "  hv: {apparmor: {site_rules: [\"/srv/a r,\"]}}\n";
    assertThat(load(fleet, none).apparmor().siteRules().orElseThrow()).containsExactly("/srv/a r,");
    assertThatThrownBy(() -> load(fleet.replace("/srv/a r,", "include <abstractions/y>"), none))
        .hasMessageContaining("s.yaml:5:32: apparmor.site_rules[0]: include <abstractions/y> does not resolve"
            + " (effective state of host 'hv')");
  }
}
