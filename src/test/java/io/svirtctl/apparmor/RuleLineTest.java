package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.state.StateSchema;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RuleLineTest {

  /** The rules issue 13 names: what libvirt admins write. */
  static final String[] ADMIN_RULES = {
    "/var/lib/libvirt/images/{,**} rwk,",
    "/{,var/}run/libvirt/qemu/*.sock rw,",
    "@{HOME}/isos/** r,",
    "owner @{HOME}/.cache/libvirt/** rw,",
    "@{PROC}/@{pid}/task/*/comm rw,",
    "/mnt/ceph/** rwk,  # ceph pool",
    "include <abstractions/nameservice>",
  };

  @Test
  void theRulesAdminsWriteAreRead() {
    for (String rule : ADMIN_RULES) {
      assertThat(RuleLine.problem(rule)).as(rule).isEmpty();
    }
    Rule ceph = RuleLine.parse("  /mnt/ceph/** rwk,  # ceph pool  ");
    assertThat(ceph.text()).isEqualTo("/mnt/ceph/** rwk,  # ceph pool");
    assertThat(ceph.comment()).contains("# ceph pool");
    assertThat(ceph.statement()).isEqualTo("/mnt/ceph/** rwk,");
    assertThat(ceph.kind()).isEqualTo(RuleKind.FILE);
    Rule include = RuleLine.parse("#include <abstractions/nameservice>");
    assertThat(include.include()).contains(new IncludeTarget("abstractions/nameservice", false));
    assertThat(RuleLine.parse("include if exists <local/x> # site").include())
        .contains(new IncludeTarget("local/x", true));
  }

  @Test
  void everyRuleKindOfAProfileBody() {
    String[][] kinds = {
      {"/srv/x r,", "FILE"}, {"file,", "FILE"}, {"audit deny owner /x w,", "FILE"}, {"r /x,", "FILE"},
      {"\"/srv/my images/**\" rk,", "FILE"}, {"/usr/bin/foo px -> foo//bar,", "FILE"},
      {"link subset /a -> /b,", "LINK"}, {"network inet stream,", "NETWORK"},
      {"capability net_admin,", "CAPABILITY"}, {"signal (send, receive) peer=foo,", "SIGNAL"},
      {"ptrace read peer=libvirtd,", "PTRACE"}, {"unix (send) type=stream addr=\"@foo\",", "UNIX"},
      {"dbus send bus=session member={A,B},", "DBUS"}, {"mount options=(ro, bind) /a -> /b,", "MOUNT"},
      {"umount /mnt/,", "UMOUNT"}, {"remount /mnt/,", "REMOUNT"},
      {"pivot_root oldroot=/mnt/old /mnt/new,", "PIVOT_ROOT"}, {"change_profile -> libvirt-*,", "CHANGE_PROFILE"},
      {"set rlimit nofile <= 1024,", "RLIMIT"}, {"include <abstractions/base>", "INCLUDE"},
      {"/x\\,y r,", "FILE"}, {"/x#y r,", "FILE"}, {"/y[{] r,", "FILE"}, {"/x r, # } {", "FILE"},
    };
    for (String[] k : kinds) {
      assertThat(RuleLine.parse(k[0]).kind()).as(k[0]).isEqualTo(RuleKind.valueOf(k[1]));
    }
  }

  @Test
  void anythingThatCouldLeaveTheBlockIsRefusedWithTheReason() {
    refused("/a r,\n}", "one line");
    refused("/a r,\u2028}", "one line");
    refused("/a r,\u0085", "one line");
    refused("/a r,\r", "one line");
    refused("}", "closes the profile block");
    refused("/a r, }", "would close the profile block");
    refused("{", "opens a block");
    refused("profile x {", "opens a block");
    refused("^hat {", "hat");
    refused("hat foo,", "opens a block");
    refused("/a r, /b w,", "a second rule");
    refused("/a r # c,", "starts a comment");
    refused("/a r, #include <abstractions/evil>", "include directive");
    refused("/a r, include <abstractions/evil>", "a second rule");
    refused("/a include <abstractions/evil> r,", "'include' inside a rule");
    refused("include \"/etc/shadow\"", "quoted path");
    refused("include /etc/shadow", "absolute path");
    refused("include <../shadow>", "'..'");
    refused("include<abstractions/base>", "blank after 'include'");
    refused("@{X} = /y,", "variable definitions");
    refused("@{X}=/y", "variable definitions");
    refused("alias /a -> /b,", "alias");
    refused("abi <abi/3.0>,", "abi");
    refused("\"/a r,", "unterminated quoted string");
    refused("\"/a\\\" r,", "unterminated quoted string");
    refused("/x/{a, b} r,", "unclosed '{'");
    refused("/x/{a} r,", "two alternatives");
    refused("/x/a} r,", "without a matching '{'");
    refused("/x/[a r,", "unclosed '['");
    refused("/y\\{ r,", "escaped brace");
    refused("# just a comment", "only a comment");
    refused("/a\0 r,", "NUL");
    refused("  ", "must not be empty");
    refused("/a r", "must end with ','");
    refused("frobnicate /x,", "unknown rule kind 'frobnicate'");
  }

  @Test
  void rulesThatLeaveConfinementAreNamed() {
    for (String rule : new String[] {"/usr/bin/** ux,", "/x Ux,", "/x pux,", "/x PUx,", "/x cux,", "/x CUx,",
        "/x rUx,", "change_profile,", "change_profile -> unconfined,", "change_profile /bin/x,",
        "change_profile -> u*,", "change_profile -> **,", "change_profile unsafe /bin/** -> unconfined,"}) {
      assertThat(RuleLine.parse(rule).leavesConfinement()).as(rule).isPresent();
    }
    for (String rule : new String[] {"/x px,", "/x Px,", "/x ix,", "/usr/bin/ux r,", "change_profile -> libvirt-*,",
        "deny /x ux,", "/x px -> ux,"}) {
      assertThat(RuleLine.parse(rule).leavesConfinement()).as(rule).isEmpty();
    }
  }

  @Test
  void theSchemaPatternCatchesTheCommonMistakesAndPassesTheAdminRules() {
    Pattern p = Pattern.compile(RuleLine.SCHEMA_PATTERN);
    for (String rule : ADMIN_RULES) {
      assertThat(p.matcher(rule).matches()).as(rule).isTrue();
    }
    for (String rule : new String[] {"/srv/x r", "/srv/x r,\n}", "}", "{", "# comment", "include \"/etc/x\"",
        "include /etc/x", "/x r, #include <y>", ""}) {
      assertThat(p.matcher(rule).matches()).as(rule).isFalse();
    }
  }

  @Test
  void theSchemaGivesThePatternToEveryRuleList() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(StateSchema.json());
    List<String> patterns = schema.findValuesAsText("pattern");
    assertThat(patterns).filteredOn(RuleLine.SCHEMA_PATTERN::equals).hasSize(3);
    for (String list : List.of("/AppArmorFileSpec/properties/site_rules",
        "/TemplateFileSpec/properties/rules", "/GuestEntrySpec/properties/rules")) {
      assertThat(schema.at("/$defs" + list + "/items/pattern").asText()).as(list)
          .isEqualTo(RuleLine.SCHEMA_PATTERN);
    }
  }

  private static void refused(String rule, String why) {
    assertThatThrownBy(() -> RuleLine.parse(rule)).as(rule)
        .isInstanceOf(InvalidRuleException.class).hasMessageContaining(why);
    assertThat(RuleLine.problem(rule)).as(rule).map(Optional::of).isPresent();
  }
}
