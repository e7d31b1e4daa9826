package io.svirtctl.apparmor;

import io.svirtctl.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The profile flags that AppArmor 3.0.8's {@code apparmor_parser} accepts in a header's {@code
 * flags=(...)}, and the combinations it refuses. Recorded behaviour: see
 * fixtures/apparmor/parser-behaviour-3.0.8.jsonl.
 */
public final class FlagRules {

  /** Mode flags: the parser refuses two different ones in one header. */
  private static final List<String> MODES = List.of("enforce", "complain", "kill", "unconfined");

  /** Pairs the parser refuses together ("Profile flag a conflicts with b"). */
  private static final List<List<String>> EXCLUSIVE_PAIRS =
      List.of(
          List.of("attach_disconnected", "no_attach_disconnected"),
          List.of("chroot_relative", "namespace_relative"),
          List.of("chroot_attach", "chroot_no_attach"),
          List.of("mediate_deleted", "delegate_deleted"));

  private static final Set<String> OTHER_FLAGS =
      Set.of(
          "audit",
          "attach_disconnected",
          "no_attach_disconnected",
          "chroot_relative",
          "namespace_relative",
          "chroot_attach",
          "chroot_no_attach",
          "mediate_deleted",
          "delegate_deleted");

  /** Flags the parser names specially when it refuses them. */
  private static final Map<String, String> RETIRED =
      Map.of("debug", "flag 'debug' is no longer valid in AppArmor 3.0");

  private FlagRules() {}

  /** Every flag AppArmor 3.0.8 accepts, sorted. */
  public static List<String> known() {
    Set<String> all = new TreeSet<>(OTHER_FLAGS);
    all.addAll(MODES);
    return List.copyOf(all);
  }

  /** Every pair of flags the parser refuses together: two modes, or an exclusive pair. */
  public static List<List<String>> conflicts() {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < MODES.size(); i++) {
      for (int j = i + 1; j < MODES.size(); j++) {
        out.add(List.of(MODES.get(i), MODES.get(j)));
      }
    }
    out.addAll(EXCLUSIVE_PAIRS);
    return List.copyOf(out);
  }

  /**
   * Why this flag list would not compile with AppArmor 3.0.8, one message per problem, in the
   * order found; empty when it would. Duplicates of the same flag are accepted, as the parser does.
   */
  public static List<String> problems(List<String> flags) {
    List<String> out = new ArrayList<>();
    Set<String> distinct = new LinkedHashSet<>();
    for (String f : flags) {
      if (RETIRED.containsKey(f)) {
        out.add(RETIRED.get(f));
      } else if (!MODES.contains(f) && !OTHER_FLAGS.contains(f)) {
        out.add("unknown profile flag '" + f + "'" + suggestion(f));
      } else {
        distinct.add(f);
      }
    }
    List<String> modes = distinct.stream().filter(MODES::contains).toList();
    for (int i = 1; i < modes.size(); i++) {
      out.add("profile flag '" + modes.get(0) + "' conflicts with '" + modes.get(i) + "'");
    }
    for (List<String> pair : EXCLUSIVE_PAIRS) {
      if (distinct.contains(pair.get(0)) && distinct.contains(pair.get(1))) {
        out.add("profile flag '" + pair.get(0) + "' conflicts with '" + pair.get(1) + "'");
      }
    }
    return List.copyOf(out);
  }

  private static String suggestion(String flag) {
    return Suggestions.hint(flag, known());
  }
}
