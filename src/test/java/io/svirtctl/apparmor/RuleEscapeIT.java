package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.host.IncludeTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded generator of attempts to get more than one rule into a profile's managed block:
 * brace tricks, comment tricks, quote tricks, Unicode line separators, include spellings, second
 * rules and preamble items, each placed around ordinary rules. Every attempt must be refused
 * by the lexer (with the include check of a real tree). The real apparmor_parser then shows for
 * one instance of each trick what it would have done inside a guest profile: refuse the profile
 * (every guest broken) or accept something that is not exactly the one rule declared (a second
 * profile, a comment, a preamble item); a canary abstraction that does not compile shows that
 * include tricks really pull a file in.
 */
class RuleEscapeIT {

  private static final long SEED = 20261202L;
  private static final String CANARY = "abstractions/svirtctl-canary";

  private static final String[] RULES = {
    "/srv/a r,", "owner @{HOME}/isos/** r,", "/var/lib/libvirt/images/{,**} rwk,", "network inet stream,",
    "capability net_admin,", "deny /etc/shadow r,", "\"/srv/my images/**\" r,", "signal (receive) peer=libvirtd,",
  };

  @TempDir Path temp;

  /** One trick: the text around a rule ({@code R} is the rule, {@code C} the rule without its ','). */
  private record Trick(String category, String template) {}

  private static List<Trick> tricks(String canaryPath) {
    List<Trick> t = new ArrayList<>();
    for (String s : new String[] {"R }", "R}", "} R", "R } profile evil {", "R\t}", "{ R", "R {", "profile evil {",
        "^evil {", "hat evil {", "}", "{", "C }", "/x/{a, b} r,", "/x/{a r,", "/x/a} r,", "/x/{a} r,",
        "profile evil /usr/bin/** { R", "R ^evil {", "/x px -> profile evil {,", "/x\\{ r,", "/x\\} r,"}) {
      t.add(new Trick("brace", s));
    }
    for (String s : new String[] {"C # hide,", "C #", "/x # R", "R #include <" + CANARY + ">",
        "R#include <" + CANARY + ">", "R #include<" + CANARY + ">", "R #includex <" + CANARY + ">", "# R",
        "R #include \"" + canaryPath + "\"", "#include \"" + canaryPath + "\" # R",
        "include <abstractions/base> #include <" + CANARY + ">"}) {
      t.add(new Trick("comment", s));
    }
    for (String s : new String[] {"\"C", "\"/x\\\" r,", "R \"", "\"/x r, #include <" + CANARY + ">", "C \"}\"",
        "\"/x\\\\\" r, \"", "/x\\\" r, \"}"}) {
      t.add(new Trick("quote", s));
    }
    for (String sep : new String[] {"\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", "\u000b", "\u000c", "\0"}) {
      t.add(new Trick("separator", "R" + sep + "}"));
      t.add(new Trick("separator", "C" + sep + ","));
      t.add(new Trick("separator", "R" + sep + "include <" + CANARY + ">"));
    }
    for (String s : new String[] {"include \"" + canaryPath + "\"", "include " + canaryPath,
        "#include \"" + canaryPath + "\"", "include if exists \"" + canaryPath + "\"",
        "include <../../../" + canaryPath.substring(1) + ">", "include <abstractions/../" + CANARY + ">",
        "include <\"" + CANARY + "\">", "R include <" + CANARY + ">", "include <" + CANARY + "> R",
        "/x include <" + CANARY + "> r,", "include<" + CANARY + ">", "include <abstractions/no-such-file>",
        "include <" + CANARY + ">,", "#include if exists \"" + canaryPath + "\"", "include <>",
        "include < " + CANARY + ">"}) {
      t.add(new Trick("include", s));
    }
    for (String s : new String[] {"R R", "R,R", "C, R", "R alias / -> /x,", "@{X}=/", "@{HOME}+=/tmp", "$foo = true",
        "alias / -> /srv/,", "abi <abi/3.0>,", "if $foo { R", "R, ", ","}) {
      t.add(new Trick("second", s));
    }
    return t;
  }

  private static String instance(String template, String rule) {
    String bare = rule.substring(0, rule.length() - 1);
    return template.replace("R", "\u0001").replace("C", "\u0002")
        .replace("\u0001", rule).replace("\u0002", bare);
  }

  private static String visible(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> out.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
        ? String.format("\\u%04x", c) : Character.toString(c)));
    return out.toString();
  }

  @Test
  void everyGeneratedEscapeAttemptIsRefusedAndTheParserShowsWhy() throws Exception {
    ParserHarness parser = ParserHarness.create(temp);
    Files.writeString(parser.apparmorDir().resolve(CANARY), "canary_keyword_that_does_not_exist,\n");
    String canaryPath = parser.apparmorDir().resolve(CANARY).toString();
    IncludeCheck includes = new IncludeTree(Path.of("/etc/apparmor.d"), parser.apparmorDir());
    List<Trick> tricks = tricks(canaryPath);

    Random random = new Random(SEED);
    Map<String, Trick> attempts = new LinkedHashMap<>();
    Map<Trick, String> firstOfTrick = new LinkedHashMap<>();
    for (Trick trick : tricks) {
      String a = instance(trick.template(), RULES[random.nextInt(RULES.length)]);
      attempts.put(a, trick);
      firstOfTrick.put(trick, a);
    }
    while (attempts.size() < 320) {
      Trick trick = tricks.get(random.nextInt(tricks.size()));
      String a = instance(trick.template(), RULES[random.nextInt(RULES.length)]);
      a = switch (random.nextInt(3)) {
        case 0 -> a;
        case 1 -> "\t" + a;
        default -> a.replace(" ", random.nextBoolean() ? "  " : "\t");
      };
      attempts.putIfAbsent(a, trick);
    }

    List<String> accepted = new ArrayList<>();
    Map<String, Integer> byCategory = new LinkedHashMap<>();
    for (Map.Entry<String, Trick> e : attempts.entrySet()) {
      byCategory.merge(e.getValue().category(), 1, Integer::sum);
      try {
        Rule r = RuleLine.parse(e.getKey());
        if (r.include().flatMap(includes::problem).isEmpty()) {
          accepted.add(e.getKey());
        }
      } catch (InvalidRuleException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      }
    }

    // What apparmor_parser makes of one instance of each trick in a guest profile's block.
    int refusedByParser = 0;
    int pulledCanary = 0;
    List<String> acceptedByParser = new ArrayList<>();
    for (String a : firstOfTrick.values()) {
      Optional<String> refusal = parser.refusal("", List.of(a), true);
      if (refusal.isEmpty()) {
        acceptedByParser.add(a);
      } else {
        refusedByParser++;
        if (refusal.get().contains("svirtctl-canary")) {
          pulledCanary++;
        }
      }
    }
    System.out.printf("rule escapes: %d attempts (seed %d) %s from %d tricks: %d accepted by the lexer;"
            + " apparmor_parser, one instance per trick in a guest profile: refuses %d (%d of them because an"
            + " include trick pulled the canary file in), accepts %d (not exactly one rule, or an escaped brace svirtctl's own profile reader would take for a block): %s%n",
        attempts.size(), SEED, byCategory, tricks.size(), accepted.size(), refusedByParser, pulledCanary,
        acceptedByParser.size(), acceptedByParser.stream().map(RuleEscapeIT::visible).toList());
    assertThat(attempts).hasSizeGreaterThanOrEqualTo(300);
    assertThat(accepted).as("attempts the lexer accepted").isEmpty();
    assertThat(pulledCanary).as("include tricks that really pull a file in").isGreaterThanOrEqualTo(5);
  }
}
