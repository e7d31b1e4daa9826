package io.svirtctl.apparmor;

import java.util.Objects;
import java.util.Optional;

/**
 * One AppArmor rule as a state file declares it, read by {@link RuleLine}: exactly one rule on
 * one line, safe to insert into a profile's managed block.
 *
 * @param text the rule as written, without surrounding spaces or tabs (what svirtctl writes)
 * @param statement the rule without its trailing comment, inner runs of blanks made one space
 *     (two rules with the same statement are duplicates)
 * @param kind what the rule is
 * @param comment the comment after the rule's {@code ,} (or after an include), as written
 * @param include the file an {@code include} rule pulls in; empty for other rules
 * @param leavesConfinement why the rule lets a guest leave confinement (an unconfined exec
 *     transition, or a change_profile that may reach {@code unconfined}); empty when it does not
 */
public record Rule(
    String text,
    String statement,
    RuleKind kind,
    Optional<String> comment,
    Optional<IncludeTarget> include,
    Optional<String> leavesConfinement) {

  public Rule {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(comment, "comment");
    Objects.requireNonNull(include, "include");
    Objects.requireNonNull(leavesConfinement, "leavesConfinement");
    if (include.isPresent() != (kind == RuleKind.INCLUDE)) {
      throw new IllegalArgumentException("an include target belongs to include rules only");
    }
  }
}
