package io.svirtctl.learn;

import io.svirtctl.Uuid;
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
import java.util.regex.Pattern;

/**
 * A guest's declared rules and names from the state file (when one is given) and the host's
 * domain XML: the guest's own rules, the template's and the site rules, matched with the root's
 * tunables; and the checks every declared rule passes (the rule check, the unconfined policy).
 */
public final class DeclaredState implements Learner.Declared {

  /** Exec transitions that leave confinement, refused unless the policy allows unconfined. */
  private static final Pattern UNCONFINED =
      Pattern.compile("(^|[\\s,])(?:[pPcC]?[uU]x|PUx|CUx|pux|cux)\\b|change_profile\\s+->\\s+unconfined");

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

  @Override
  public Optional<String> refusal(String rule) {
    Optional<String> problem = RuleLine.problem(rule);
    if (problem.isPresent()) {
      return problem;
    }
    boolean allowUnconfined = state.map(s -> s.policy().allowUnconfined()).orElse(false);
    if (!allowUnconfined && mayLeaveConfinement(rule) && UNCONFINED.matcher(rule).find()) {
      return Optional.of("policy.allow_unconfined is false");
    }
    return Optional.empty();
  }

  /** Whether {@link #UNCONFINED} may match: each of its forms holds a "ux" or change_profile. */
  private static boolean mayLeaveConfinement(String rule) {
    for (int i = 0; i + 1 < rule.length(); i++) {
      char c = rule.charAt(i);
      if ((c == 'u' || c == 'U') && rule.charAt(i + 1) == 'x') {
        return true;
      }
    }
    return rule.contains("change_profile");
  }

  /** The listed guest a UUID or name refers to. */
  public static Optional<GuestSpec> guest(HostState s, Uuid uuid, Optional<String> name) {
    return s.apparmor().guests().list().stream()
        .filter(g -> g.ref() instanceof GuestRef.ByUuid u ? u.uuid().equals(uuid)
            : name.isPresent() && ((GuestRef.ByName) g.ref()).name().equals(name.get()))
        .findFirst();
  }
}
