package io.svirtctl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What learn never proposes: what the state file's own rule checks refuse, a rule the rule check
 * refuses or one leaving confinement.
 */
class DeclaredStateTest {

  private final DeclaredState none = new DeclaredState(Optional.empty(), uuid -> Optional.empty(),
      Map.of());

  @Test
  void rulesLeavingConfinementAreRefusedWithoutAPolicyAllowingThem() {
    for (String rule : new String[] {"/usr/bin/helper ux,", "/usr/bin/helper Ux,",
        "/usr/bin/helper pux,", "owner /usr/bin/helper cux,", "change_profile -> unconfined,"}) {
      assertThat(none.refusal(rule)).as(rule).hasValueSatisfying(why -> assertThat(why)
          .endsWith("; refused unless policy.allow_unconfined: true"));
    }
  }

  @Test
  void rulesThatOnlySpellUxStayProposed() {
    for (String rule : new String[] {"/usr/lib/linux/x r,", "/srv/tux/x.img rw,",
        "/usr/bin/helper ix,", "capability net_admin,", "/srv/a r,"}) {
      assertThat(none.refusal(rule)).as(rule).isEmpty();
    }
  }

  @Test
  void aRuleTheRuleCheckRefusesIsRefusedWithItsReason() {
    assertThat(none.refusal("/srv/a r")).isPresent();
    assertThat(none.refusal("/srv/a\nr,")).contains("a rule must be one line (no line breaks)");
  }
}
