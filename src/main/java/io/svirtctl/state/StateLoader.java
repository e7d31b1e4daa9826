package io.svirtctl.state;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.apparmor.IncludeCheck;
import io.svirtctl.Suggestions;
import io.svirtctl.state.YNode.Entry;
import io.svirtctl.state.YNode.YMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a state file: parses the YAML, picks and merges the host's entries of a Fleet, and
 * validates everything. Every problem of the file is reported at once, sorted by position.
 */
public final class StateLoader {

  /** The only apiVersion this svirtctl reads. */
  public static final String API_VERSION = "svirtctl/v1";

  private static final List<String> FLEET_SECTIONS = List.of("defaults", "groups", "hosts");

  private StateLoader() {}

  /**
   * Parses, merges (Fleet) and validates a state file.
   *
   * @param fileName the name diagnostics use for the file
   * @param host the host to load the state of ({@code --host}); empty means {@code
   *     defaultHostName}
   * @param defaultHostName the machine's hostname
   * @throws InvalidInputException with all diagnostics, sorted, if the file is not valid
   */
  public static HostState load(
      String fileName, byte[] content, Optional<String> host, String defaultHostName) {
    return load(fileName, content, host, defaultHostName, IncludeCheck.ANY);
  }

  /**
   * Parses, merges (Fleet) and validates a state file for a host whose AppArmor tree is known:
   * every {@code include} rule must resolve there.
   *
   * @param includes the check of include rules against the host's {@code /etc/apparmor.d}
   * @throws InvalidInputException with all diagnostics, sorted, if the file is not valid
   */
  public static HostState load(
      String fileName, byte[] content, Optional<String> host, String defaultHostName, IncludeCheck includes) {
    Problems problems = new Problems();
    Optional<YNode> root = new YamlReader(fileName, problems).read(content);
    if (root.isEmpty()) {
      problems.throwIfAny();
    }
    if (!(root.orElseThrow() instanceof YMap top)) {
      problems.add(root.get().location(), "",
          "a state file must be a YAML mapping, got " + root.get().describe());
      problems.throwIfAny();
      throw new IllegalStateException("unreachable");
    }
    String hostName = host.orElse(defaultHostName);
    Optional<StateKind> kind = header(top, problems);
    HostState state = null;
    if (kind.equals(Optional.of(StateKind.Host))) {
      BodyReader reader = new BodyReader(problems, problems, "", includes);
      List<String> valid = new ArrayList<>(List.of("apiVersion", "kind"));
      valid.addAll(BodyReader.BODY_KEYS);
      topKeys(top, valid, "Fleet", problems);
      state = reader.read(hostName, top, "");
    } else if (kind.equals(Optional.of(StateKind.Fleet))) {
      state = fleet(fileName, top, hostName, problems, includes).orElse(null);
    }
    problems.throwIfAny();
    return state;
  }

  private static Optional<StateKind> header(YMap top, Problems problems) {
    Optional<Entry> api = SpecBinder.entry(top, "apiVersion");
    if (api.isEmpty()) {
      problems.add(top.location(), "apiVersion", "missing; expected '" + API_VERSION + "'");
    } else if (!(api.get().value() instanceof YNode.YStr s) || !s.value().equals(API_VERSION)) {
      problems.add(api.get().value().location(), "apiVersion",
          "unsupported " + api.get().value().describe() + " (expected '" + API_VERSION + "')");
    }
    Optional<Entry> kind = SpecBinder.entry(top, "kind");
    if (kind.isEmpty()) {
      problems.add(top.location(), "kind", "missing; expected Host or Fleet");
      return Optional.empty();
    }
    YNode k = kind.get().value();
    if (k instanceof YNode.YStr s) {
      for (StateKind v : StateKind.values()) {
        if (v.name().equals(s.value())) {
          return Optional.of(v);
        }
      }
      problems.add(k.location(), "kind",
          "unknown kind '" + s.value() + "' ("
              + Suggestions.closest(s.value(), List.of("Host", "Fleet"))
                  .map(c -> "did you mean '" + c + "'?").orElse("expected Host or Fleet") + ")");
    } else {
      problems.add(k.location(), "kind", "expected Host or Fleet, got " + k.describe());
    }
    return Optional.empty();
  }

  private static void topKeys(YMap top, List<String> valid, String otherKind, Problems problems) {
    for (Map.Entry<String, Entry> kv : top.entries().entrySet()) {
      String key = kv.getKey();
      if (valid.contains(key)) {
        continue;
      }
      boolean ofOther =
          otherKind.equals("Fleet") ? FLEET_SECTIONS.contains(key) : BodyReader.BODY_KEYS.contains(key);
      problems.add(kv.getValue().keyLocation(), key,
          ofOther
              ? "'" + key + "' belongs in a kind: " + otherKind + " file"
                  + (otherKind.equals("Host") ? " (in a Fleet, put it under defaults, a group or a host)" : "")
              : SpecBinder.unknownProperty(key, valid));
    }
  }

  private static Optional<HostState> fleet(
      String fileName, YMap top, String hostName, Problems problems, IncludeCheck includes) {
    List<String> valid = new ArrayList<>(List.of("apiVersion", "kind"));
    valid.addAll(FLEET_SECTIONS);
    topKeys(top, valid, "Host", problems);
    // Each fragment's shape is checked once, whichever host it applies to.
    BodyReader shapes = new BodyReader(problems, new Problems(), "", IncludeCheck.ANY);
    SpecBinder binder = new SpecBinder(problems);
    List<YNode> layers = new ArrayList<>();
    SpecBinder.entry(top, "defaults").flatMap(e -> binder.map(e.value(), "defaults")).ifPresent(d -> {
      binder.keys(d, "defaults", BodyReader.BODY_KEYS);
      shapes.read(hostName, d, "defaults");
      layers.add(d);
    });
    boolean matched = false;
    Optional<Entry> groups = SpecBinder.entry(top, "groups");
    if (groups.isPresent()) {
      if (groups.get().value() instanceof YNode.YList l) {
        List<String> groupKeys = SpecKeys.of(GroupSpec.class);
        for (int i = 0; i < l.items().size(); i++) {
          String p = "groups[" + i + "]";
          Optional<YMap> g = binder.map(l.items().get(i), p);
          if (g.isEmpty()) {
            continue;
          }
          binder.keys(g.get(), p, groupKeys);
          shapes.read(hostName, g.get(), p);
          Optional<Entry> globs = SpecBinder.entry(g.get(), "hosts");
          if (globs.isEmpty()) {
            problems.add(g.get().location(), p + ".hosts", "missing; a group needs host globs");
            continue;
          }
          Optional<List<String>> patterns = binder.strings(globs.get().value(), p + ".hosts");
          if (patterns.isPresent() && patterns.get().stream().anyMatch(String::isEmpty)) {
            problems.add(globs.get().value().location(), p + ".hosts", "a host glob must not be empty");
          } else if (patterns.isPresent()
              && patterns.get().stream().anyMatch(glob -> FleetMerge.matches(glob, hostName))) {
            Map<String, Entry> body = new LinkedHashMap<>(g.get().entries());
            body.remove("hosts");
            layers.add(new YMap(g.get().location(), body));
            matched = true;
          }
        }
      } else {
        problems.add(groups.get().value().location(), "groups",
            "expected a list of groups, got " + groups.get().value().describe());
      }
    }
    Optional<Entry> hosts = SpecBinder.entry(top, "hosts");
    if (hosts.isPresent()) {
      Optional<YMap> hm = binder.map(hosts.get().value(), "hosts");
      if (hm.isPresent()) {
        for (Map.Entry<String, Entry> kv : hm.get().entries().entrySet()) {
          String p = SpecBinder.child("hosts", kv.getKey());
          Optional<YMap> h = binder.map(kv.getValue().value(), p);
          if (h.isEmpty()) {
            continue;
          }
          binder.keys(h.get(), p, BodyReader.BODY_KEYS);
          shapes.read(kv.getKey(), h.get(), p);
          if (kv.getKey().equals(hostName)) {
            layers.add(h.get());
            matched = true;
          }
        }
      }
    }
    if (!matched) {
      problems.add(SourceLocation.ofFile(fileName), "",
          "no group or host entry of this Fleet matches host '" + hostName + "' (use --host, or add it under hosts:)");
    }
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    YNode merged = new YMap(top.location(), Map.of());
    for (YNode layer : layers) {
      merged = FleetMerge.merge(merged, layer);
    }
    // Combinations are judged on the host's effective state only.
    BodyReader combos = new BodyReader(new Problems(), problems, " (effective state of host '" + hostName + "')", includes);
    return Optional.of(combos.read(hostName, (YMap) merged, ""));
  }
}
