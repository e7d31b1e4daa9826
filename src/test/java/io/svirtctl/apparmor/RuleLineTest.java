package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuleLineTest {

  @Test
  void ordinaryRulesPass() {
    for (String rule : new String[] {
        "/srv/vm-images/** rwk,", "  owner /tmp/x rw,", "deny /etc/shadow r,", "capability net_admin,",
        "network inet stream,", "/usr/lib/qemu/* PUx,", "signal (receive) peer=unconfined,"}) {
      assertThat(RuleLine.problem(rule)).as(rule).isEmpty();
    }
  }

  @Test
  void anythingThatCouldLeaveTheBlockIsRefused() {
    assertThat(RuleLine.problem("/a r,\n}")).contains("a rule must be one line (no line breaks)");
    assertThat(RuleLine.problem("/a r,\r")).contains("a rule must be one line (no line breaks)");
    assertThat(RuleLine.problem("}")).contains("a rule must not contain '{' or '}' (it could open or close a block)");
    assertThat(RuleLine.problem("profile x {")).isPresent();
    assertThat(RuleLine.problem("#include <abstractions/base>")).contains("include directives are not allowed in rules");
    assertThat(RuleLine.problem("include if exists <local/x>")).contains("include directives are not allowed in rules");
    assertThat(RuleLine.problem("/a r, # c")).contains("a rule must not contain '#' (it starts a comment in AppArmor)");
    assertThat(RuleLine.problem("/a\0 r,")).contains("a rule must not contain a NUL character");
    assertThat(RuleLine.problem("  ")).contains("a rule must not be empty");
    assertThat(RuleLine.problem("/a r")).contains("a rule must end with ','");
  }

  @Test
  void anIncludeInTheMiddleOfALineIsRefused() {
    // apparmor_parser 3.0.8 pulls the file in for each of these (checked with -p).
    for (String rule : new String[] {
        "/x r, include <abstractions/evil> /y r,", "/x r,include <abstractions/evil> /y r,",
        "/x r, include \"/etc/shadow\" /y r,", "/x r, include if exists <a/b> /y r,",
        "/x r,\tinclude <a> /y r,", "/x r, INCLUDE <a> /y r,"}) {
      assertThat(RuleLine.problem(rule)).as(rule).contains("include directives are not allowed in rules");
    }
    assertThat(RuleLine.problem("/srv/include/** r,")).isEmpty();
    assertThat(RuleLine.problem("/srv/includes r,")).isEmpty();
  }
}
