package io.svirtctl.state;

import io.svirtctl.Diagnostic;
import io.svirtctl.SourceLocation;
import io.svirtctl.apparmor.IncludeCheck;
import io.svirtctl.apparmor.InvalidRuleException;
import io.svirtctl.apparmor.Rule;
import io.svirtctl.apparmor.RuleLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of one list of rules: each is exactly one AppArmor rule (refused with the lexer's
 * reason otherwise), a rule that leaves confinement is refused unless {@code
 * policy.allow_unconfined: true}, and a rule declared twice in the list is a warning naming both
 * positions; an include must resolve in the host's AppArmor tree. Rules come out normalised (surrounding blanks removed), as svirtctl writes and reads
 * them back, so state and file converge.
 */
final class RuleChecks {

  private final Problems shape;
  private final Problems combos;
  private final List<Diagnostic> warnings;
  private final String note;
  private final boolean allowUnconfined;
  private final IncludeCheck includes;

  RuleChecks(Problems shape, Problems combos, List<Diagnostic> warnings, String note, boolean allowUnconfined,
      IncludeCheck includes) {
    this.shape = shape;
    this.combos = combos;
    this.warnings = warnings;
    this.note = note;
    this.allowUnconfined = allowUnconfined;
    this.includes = includes;
  }

  /** The normalised rules, or empty when any of them is refused. */
  Optional<List<String>> check(List<String> rules, YNode.YList node, String path) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean ok = true;
    for (int i = 0; i < rules.size(); i++) {
      SourceLocation at = node.items().get(i).location();
      String p = path + "[" + i + "]";
      Rule rule;
      try {
        rule = RuleLine.parse(rules.get(i));
      } catch (InvalidRuleException e) {
        shape.add(at, p, e.getMessage());
        ok = false;
        continue;
      }
      if (rule.leavesConfinement().isPresent() && !allowUnconfined) {
        combos.add(at, p, rule.leavesConfinement().get() + "; refused unless policy.allow_unconfined: true" + note);
        ok = false;
      }
      Optional<String> unresolved = rule.include().flatMap(includes::problem);
      if (unresolved.isPresent()) {
        combos.add(at, p, unresolved.get() + note);
        ok = false;
      }
      Integer first = seen.putIfAbsent(rule.statement(), i);
      if (first != null) {
        warnings.add(new Diagnostic(at, p + ": the same rule as " + path + "[" + first + "] at "
            + node.items().get(first).location() + "; written once per item as declared"));
      }
      out.add(rule.text());
    }
    return ok ? Optional.of(out) : Optional.empty();
  }
}
