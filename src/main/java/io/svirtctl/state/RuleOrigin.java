package io.svirtctl.state;

import io.svirtctl.SourceLocation;
import java.util.Objects;

/**
 * Where one declared rule (or the template's whole content) is written in the state file, so a
 * refusal of the profile it ends up in can name its own position.
 *
 * @param scope which managed block the rule goes to
 * @param path the rule's YAML path ({@code apparmor.site_rules[0]})
 * @param rule the rule as written into profiles (normalised)
 */
public record RuleOrigin(Scope scope, String path, String rule, SourceLocation location) {

  public RuleOrigin {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(location, "location");
  }

  /** The managed block a declared rule is written to. */
  public enum Scope {
    /** {@code apparmor.site_rules}: the site abstraction every guest includes. */
    SITE,
    /** {@code apparmor.template.rules}: the template and every managed guest's block. */
    TEMPLATE,
    /** {@code apparmor.guests.list.<guest>.rules}: that guest's block. */
    GUEST,
    /** {@code apparmor.template.content}: the whole template; {@code rule} is its text. */
    CONTENT
  }
}
