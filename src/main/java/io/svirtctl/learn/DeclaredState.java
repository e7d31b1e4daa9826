package io.svirtctl.learn;

import io.svirtctl.Uuid;
import io.svirtctl.apparmor.InvalidRuleException;
import io.svirtctl.apparmor.Rule;
import io.svirtctl.apparmor.RuleLine;
import io.svirtctl.state.GuestRef;
import io.svirtctl.state.GuestSpec;
import io.svirtctl.state.HostState;
import io.svirtctl.state.TemplateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A guest's declared rules and names from the state file (when one is given) and the host's
 * domain XML: the guest's own rules, the template's and the site rules, matched with the root's
 * tunables; and the checks every declared rule passes (the rule check, the unconfined policy).
 */
public final class DeclaredState implements Learner.Declared {

  private final Optional<HostState> state;
  private final Function<Uuid, Optional<String>> names;
  private final Map<String, List<String>> variables;

  /**
   * @param names a guest's domain name, from the host's domain XML (persistent or running)
   * @param variables the root's tunables
   */
  public DeclaredState(Optional<HostState> state, Function<Uuid, Optional<String>> names,
      Map<String, List<String>> variables) {
    this.state = state;
    this.names = names;
    this.variables = Map.copyOf(variables);
  }

  @Override
  public Optional<String> name(Uuid uuid) {
    return names.apply(uuid);
  }

  @Override
  public DeclaredRules rules(Uuid uuid, Optional<String> name) {
    List<String> all = new ArrayList<>();
    state.ifPresent(s -> {
      s.apparmor().template().flatMap(TemplateSpec::rules).ifPresent(all::addAll);
      s.apparmor().siteRules().ifPresent(all::addAll);
      guest(s, uuid, name).flatMap(GuestSpec::rules).ifPresent(all::addAll);
    });
    return DeclaredRules.of(all, variables);
  }

  /**
   * The refusal the state file's own rule checks would give: the rule check's, and, unless
   * {@code policy.allow_unconfined}, a rule that lets the guest leave confinement.
   */
  @Override
  public Optional<String> refusal(String rule) {
    Rule parsed;
    try {
      parsed = RuleLine.parse(rule);
    } catch (InvalidRuleException e) {
      return Optional.of(e.getMessage());
    }
    boolean allowUnconfined = state.map(s -> s.policy().allowUnconfined()).orElse(false);
    if (!allowUnconfined && parsed.leavesConfinement().isPresent()) {
      return Optional.of(parsed.leavesConfinement().get()
          + "; refused unless policy.allow_unconfined: true");
    }
    return Optional.empty();
  }

  /** The listed guest a UUID or name refers to. */
  public static Optional<GuestSpec> guest(HostState s, Uuid uuid, Optional<String> name) {
    return s.apparmor().guests().list().stream()
        .filter(g -> g.ref() instanceof GuestRef.ByUuid u ? u.uuid().equals(uuid)
            : name.isPresent() && ((GuestRef.ByName) g.ref()).name().equals(name.get()))
        .findFirst();
  }
}
