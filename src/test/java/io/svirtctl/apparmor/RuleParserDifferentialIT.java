package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.Fixtures;
import io.svirtctl.host.IncludeTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ground truth for the rule lexer: every one-line rule of the shared fixture profiles and of this
 * machine's AppArmor profiles (the apparmor, apparmor-profiles and apparmor-profiles-extra
 * packages) is read by {@link RuleLine} (with the include check of the tree) and compiled by the
 * real apparmor_parser 3.0.8 inside a guest profile's managed block. Both must agree on every
 * rule. The one refusal a lexer cannot foresee is a rule that conflicts with the guest's own
 * rules (two exec modes for one file); the parser itself confirms each such case by compiling
 * the rule without the libvirt abstraction, and the count is printed.
 */
class RuleParserDifferentialIT {

  @TempDir Path temp;

  @Test
  void lexerAndParserAgreeOnEveryRealRule() throws Exception {
    ParserHarness parser = ParserHarness.create(temp);
    List<RuleCorpus.Found> corpus = new ArrayList<>();
    Path fixtures = Fixtures.root();
    for (Path f : RuleCorpus.profileFiles(fixtures.resolve("apparmor/profiles"))) {
      corpus.addAll(RuleCorpus.rules(f, false));
    }
    Path debian = fixtures.resolve("libvirt/debian12-9.0.0/etc/apparmor.d");
    for (Path f : RuleCorpus.profileFiles(debian)) {
      corpus.addAll(RuleCorpus.rules(f, f.toString().contains("/abstractions/")));
    }
    int fixtureRules = corpus.size();
    for (Path dir : List.of(Path.of("/etc/apparmor.d"), Path.of("/usr/share/apparmor/extra-profiles"))) {
      if (Files.isDirectory(dir)) {
        for (Path f : RuleCorpus.profileFiles(dir)) {
          String rel = dir.relativize(f).toString();
          boolean body = rel.startsWith("abstractions/") || rel.startsWith("local/") || rel.contains(".d/");
          corpus.addAll(RuleCorpus.rules(f, body));
        }
      }
    }
    IncludeCheck includes = new IncludeTree(Path.of("/etc/apparmor.d"), parser.apparmorDir());
    Map<RuleCorpus.Found, Optional<String>> compiled = parser.verdicts(corpus);

    List<String> disagreements = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int accepted = 0;
    int conflicts = 0;
    for (RuleCorpus.Found r : corpus) {
      Optional<String> lexer = lexerRefusal(r.rule(), includes);
      Optional<String> parsed = compiled.get(r);
      if (parsed.isEmpty()) {
        accepted++;
      } else {
        refused.add(r.file().getFileName() + ":" + r.line() + ": " + r.rule() + " (lexer: " + lexer.orElse("accepts") + ")");
      }
      if (lexer.isEmpty() && parsed.isPresent() && parsed.get().contains("conflicting x modifiers")
          && parser.refusal(r.preamble(), List.of(r.rule()), false).isEmpty()) {
        conflicts++;
      } else if (lexer.isPresent() != parsed.isPresent()) {
        disagreements.add(r.file() + ":" + r.line() + ": " + r.rule() + "\n    lexer: "
            + lexer.orElse("accepts") + "\n    apparmor_parser: " + parsed.orElse("accepts"));
      }
    }
    System.out.printf("rule differential: %d one-line rules (%d from the shared fixtures): apparmor_parser"
            + " accepts %d, refuses %d (%d of them only for an exec-mode conflict with the libvirt"
            + " abstraction); %d disagreements; %d parser runs%n",
        corpus.size(), fixtureRules, accepted, corpus.size() - accepted, conflicts, disagreements.size(),
        parser.runs());
    refused.forEach(r -> System.out.println("  refused by apparmor_parser: " + r));
    assertThat(corpus).hasSizeGreaterThan(1000);
    assertThat(disagreements).isEmpty();
  }

  private static Optional<String> lexerRefusal(String text, IncludeCheck includes) {
    try {
      return RuleLine.parse(text).include().flatMap(includes::problem);
    } catch (InvalidRuleException e) {
      return Optional.of(e.getMessage());
    }
  }
}
