package io.svirtctl.state;

import io.svirtctl.Diagnostic;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.FlagRules;
import io.svirtctl.apparmor.IncludeCheck;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.qemuconf.KeyCatalog;
import io.svirtctl.qemuconf.KeySpec;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.qemuconf.ValueType;
import io.svirtctl.state.YNode.Entry;
import io.svirtctl.state.YNode.YMap;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the body of one host's state ({@code qemu_conf}, {@code apparmor}, {@code policy}) into
 * the validated records. Problems of shape (keys, types, values) and problems between settings
 * go to separate sinks, so a Fleet can check each fragment's shape once and the merged host's
 * combinations once.
 */
final class BodyReader {

  static final List<String> BODY_KEYS = SpecKeys.of(BodySpec.class);

  private static final Pattern TEMPLATE_HEADER =
      Pattern.compile("(?m)^profile LIBVIRT_TEMPLATE[ {]");

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private final Problems shape;
  private final Problems combos;
  private final String note;
  private final KeyCatalog catalog = KeyCatalog.libvirt();
  private final List<Diagnostic> warnings = new ArrayList<>();
  private final IncludeCheck includes;
  private boolean allowUnconfined;

  /**
   * @param shape where problems of one key or value go
   * @param combos where problems between settings go
   * @param note appended to messages about combinations (names the host of a Fleet)
   * @param includes where include rules must resolve (a problem between settings and the host)
   */
  BodyReader(Problems shape, Problems combos, String note, IncludeCheck includes) {
    this.shape = shape;
    this.combos = combos;
    this.note = note;
    this.includes = includes;
  }

  /** Reads a body whose keys the caller has already checked. */
  HostState read(String host, YMap body, String prefix) {
    List<QemuSetting> qemu = new ArrayList<>();
    Map<String, QemuSetting> byKey = new HashMap<>();
    entry(body, "qemu_conf")
        .flatMap(e -> map(e.value(), join(prefix, "qemu_conf")))
        .ifPresent(m -> qemuConf(m, join(prefix, "qemu_conf"), qemu));
    qemu.forEach(s -> byKey.put(s.key(), s));
    PolicySpec policy =
        entry(body, "policy")
            .flatMap(e -> map(e.value(), join(prefix, "policy")))
            .map(m -> policy(m, join(prefix, "policy")))
            .orElse(new PolicySpec(false));
    allowUnconfined = policy.allowUnconfined();
    AppArmorSpec apparmor =
        entry(body, "apparmor")
            .flatMap(e -> map(e.value(), join(prefix, "apparmor")))
            .map(m -> apparmor(m, join(prefix, "apparmor")))
            .orElse(AppArmorSpec.unmanaged());
    driverCombinations(byKey, prefix);
    new UnconfinedPolicy(combos, note).check(body, prefix);
    return new HostState(host, qemu, apparmor, policy, warnings);
  }

  // ---- qemu_conf ----

  private void qemuConf(YMap m, String path, List<QemuSetting> out) {
    for (Map.Entry<String, Entry> kv : m.entries().entrySet()) {
      String key = kv.getKey();
      String p = child(path, key);
      SourceLocation keyLoc = kv.getValue().keyLocation();
      YNode node = kv.getValue().value();
      Optional<KeySpec> spec = catalog.find(key);
      if (spec.isEmpty()) {
        shape.add(keyLoc, p, "unknown qemu.conf key '" + key + "'" + Suggestions.hint(key, catalog.names()));
        continue;
      }
      if (node instanceof YNode.YNull) {
        out.add(new QemuSetting(key, Optional.empty(), keyLoc));
        continue;
      }
      if (spec.get().obsolete()) {
        shape.add(node.location(), p,
            "libvirt no longer reads '" + key + "'; use null to remove it from qemu.conf");
        continue;
      }
      qemuValue(spec.get(), node, p).ifPresent(v -> out.add(new QemuSetting(key, Optional.of(v), keyLoc)));
    }
  }

  private Optional<QemuValue> qemuValue(KeySpec spec, YNode node, String p) {
    Optional<QemuValue> value = convert(spec.type(), node, p);
    if (value.isEmpty()) {
      return value;
    }
    if (!spec.allowed().isEmpty() && !allowedValues(spec, node, p)) {
      return Optional.empty();
    }
    if (spec.name().equals("security_driver") && !driverList(value.get(), node, p)) {
      return Optional.empty();
    }
    Optional<String> why = spec.check(value.get());
    if (why.isPresent()) {
      shape.add(node.location(), p, why.get());
      return Optional.empty();
    }
    return value;
  }

  private Optional<QemuValue> convert(ValueType type, YNode node, String p) {
    switch (type) {
      case BOOL:
        if (node instanceof YNode.YBool b) {
          return Optional.of(QemuValue.Int.of(b.value() ? 1 : 0));
        }
        if (node instanceof YNode.YInt i && (i.value().equals(BigInteger.ZERO) || i.value().equals(BigInteger.ONE))) {
          return Optional.of(new QemuValue.Int(i.value(), false));
        }
        return wrong(node, p, "true or false");
      case INT:
        if (node instanceof YNode.YInt i) {
          return Optional.of(new QemuValue.Int(i.value(), i.value().signum() < 0));
        }
        return wrong(node, p, "an integer");
      case UINT:
        if (node instanceof YNode.YInt i && i.value().signum() >= 0) {
          return Optional.of(new QemuValue.Int(i.value(), false));
        }
        return wrong(node, p, "an unsigned integer");
      case LIMIT:
        if (node instanceof YNode.YInt i && i.value().signum() >= 0) {
          return Optional.of(new QemuValue.Int(i.value(), false));
        }
        if (node instanceof YNode.YStr s) {
          return Optional.of(new QemuValue.Str(s.value()));
        }
        return wrong(node, p, "an unsigned integer or 'unlimited'");
      case STRING:
        return string(node, p).map(QemuValue.Str::new);
      case STRING_LIST:
        return strings(node, p).map(QemuValue.Lst::ofStrings);
      case STRING_OR_LIST:
        if (node instanceof YNode.YStr s) {
          return Optional.of(new QemuValue.Str(s.value()));
        }
        if (node instanceof YNode.YList) {
          return strings(node, p).map(QemuValue.Lst::ofStrings);
        }
        return wrong(node, p, "a string or a list of strings");
      default:
        throw new IllegalStateException("unhandled value type " + type);
    }
  }

  private boolean allowedValues(KeySpec spec, YNode node, String p) {
    List<YNode> items = node instanceof YNode.YList l ? l.items() : List.of(node);
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof YNode.YStr s && !spec.allowed().contains(s.value())) {
        String where = node instanceof YNode.YList ? p + "[" + i + "]" : p;
        String hint = Suggestions.closest(s.value(), spec.allowed())
            .map(c -> "did you mean '" + c + "'?")
            .orElse("expected " + String.join(", ", spec.allowed()));
        shape.add(s.location(), where, "unknown value '" + s.value() + "' (" + hint + ")");
        ok = false;
      }
    }
    return ok;
  }

  private boolean driverList(QemuValue value, YNode node, String p) {
    if (value instanceof QemuValue.Lst l) {
      if (l.items().isEmpty()) {
        shape.add(node.location(), p, "name at least one security driver (apparmor, selinux or none)");
        return false;
      }
      if (l.items().size() > 1 && l.items().contains(new QemuValue.Str("none"))) {
        shape.add(node.location(), p, "'none' must be the only security driver");
        return false;
      }
    }
    return true;
  }

  private void driverCombinations(Map<String, QemuSetting> byKey, String prefix) {
    QemuSetting driver = byKey.get("security_driver");
    if (driver == null || driver.value().isEmpty() || !names(driver.value().get()).contains("none")) {
      return;
    }
    String p = join(prefix, "qemu_conf.security_driver");
    QemuSetting confined = byKey.get("security_require_confined");
    if (confined != null && confined.value().equals(Optional.of(QemuValue.Int.of(1)))) {
      combos.add(driver.location(), p,
          "'none' together with security_require_confined: true stops libvirtd from starting" + note);
    }
  }

  private static List<String> names(QemuValue v) {
    if (v instanceof QemuValue.Str s) {
      return List.of(s.value());
    }
    if (v instanceof QemuValue.Lst l) {
      return l.items().stream()
          .filter(QemuValue.Str.class::isInstance)
          .map(x -> ((QemuValue.Str) x).value())
          .toList();
    }
    return List.of();
  }

  // ---- apparmor ----

  private AppArmorSpec apparmor(YMap m, String path) {
    keys(m, path, SpecKeys.of(AppArmorFileSpec.class));
    Optional<TemplateSpec> template =
        entry(m, "template").flatMap(e -> map(e.value(), path + ".template"))
            .map(t -> template(t, path + ".template"));
    Optional<List<String>> siteRules =
        entry(m, "site_rules").flatMap(e -> rules(e.value(), path + ".site_rules"));
    GuestsSpec guests =
        entry(m, "guests").flatMap(e -> map(e.value(), path + ".guests"))
            .map(g -> guests(g, path + ".guests"))
            .orElse(GuestsSpec.unmanaged());
    ReloadPolicy reload =
        entry(m, "reload")
            .flatMap(e -> choice(e.value(), path + ".reload", "reload policy",
                Arrays.asList(ReloadPolicy.values()), ReloadPolicy::label))
            .orElse(ReloadPolicy.AUTO);
    return new AppArmorSpec(template, siteRules, guests, reload);
  }

  private TemplateSpec template(YMap m, String path) {
    keys(m, path, SpecKeys.of(TemplateFileSpec.class));
    Optional<String> content =
        entry(m, "content").flatMap(e -> string(e.value(), path + ".content"))
            .filter(c -> templateContent(c, m.entries().get("content").value(), path + ".content"));
    Optional<List<String>> flags = entry(m, "flags").flatMap(e -> strings(e.value(), path + ".flags"));
    flags.ifPresent(f -> FlagRules.problems(f)
        .forEach(msg -> shape.add(m.entries().get("flags").value().location(), path + ".flags", msg)));
    Optional<List<String>> rules = entry(m, "rules").flatMap(e -> rules(e.value(), path + ".rules"));
    if (m.entries().containsKey("content")
        && (m.entries().containsKey("flags") || m.entries().containsKey("rules"))) {
      combos.add(m.entries().get("content").keyLocation(), path + ".content",
          "'content' manages the whole template and cannot be combined with 'flags' or 'rules'" + note);
      return new TemplateSpec(content, Optional.empty(), Optional.empty());
    }
    return new TemplateSpec(content, flags, rules);
  }

  private boolean templateContent(String content, YNode node, String p) {
    if (content.indexOf('\0') >= 0) {
      shape.add(node.location(), p, "the template must not contain a NUL character");
      return false;
    }
    if (!TEMPLATE_HEADER.matcher(content).find()) {
      // libvirt instantiates guest profiles by replacing "\nprofile LIBVIRT_TEMPLATE".
      shape.add(node.location(), p,
          "the template must have a line starting with 'profile LIBVIRT_TEMPLATE' (libvirt renames it per guest)");
      return false;
    }
    return true;
  }

  private GuestsSpec guests(YMap m, String path) {
    keys(m, path, SpecKeys.of(GuestsFileSpec.class));
    Optional<Mode> defaultMode = entry(m, "default_mode").flatMap(e -> mode(e.value(), path + ".default_mode"));
    ProfilesPolicy profiles =
        entry(m, "profiles")
            .flatMap(e -> choice(e.value(), path + ".profiles", "profiles policy",
                Arrays.asList(ProfilesPolicy.values()), ProfilesPolicy::label))
            .orElse(ProfilesPolicy.ADOPT);
    boolean prune = entry(m, "prune").flatMap(e -> bool(e.value(), path + ".prune")).orElse(false);
    boolean hook = entry(m, "hook").flatMap(e -> bool(e.value(), path + ".hook")).orElse(false);
    List<GuestSpec> list =
        entry(m, "list").flatMap(e -> map(e.value(), path + ".list"))
            .map(l -> guestList(l, path + ".list"))
            .orElse(List.of());
    return new GuestsSpec(defaultMode, profiles, prune, hook, list);
  }

  private List<GuestSpec> guestList(YMap m, String path) {
    List<GuestSpec> out = new ArrayList<>();
    Map<Uuid, String> seen = new HashMap<>();
    for (Map.Entry<String, Entry> kv : m.entries().entrySet()) {
      String key = kv.getKey();
      String p = child(path, key);
      SourceLocation keyLoc = kv.getValue().keyLocation();
      Optional<GuestRef> ref = guestRef(key, keyLoc, p);
      if (ref.isPresent() && ref.get() instanceof GuestRef.ByUuid u) {
        String first = seen.putIfAbsent(u.uuid(), key);
        if (first != null) {
          shape.add(keyLoc, p, "the same guest as '" + first + "' (UUIDs ignore letter case)");
          continue;
        }
      }
      Optional<YMap> entry = map(kv.getValue().value(), p);
      if (entry.isEmpty() || ref.isEmpty()) {
        continue;
      }
      keys(entry.get(), p, SpecKeys.of(GuestEntrySpec.class));
      Optional<Mode> mode = entry(entry.get(), "mode").flatMap(e -> mode(e.value(), p + ".mode"));
      Optional<List<String>> rules = entry(entry.get(), "rules").flatMap(e -> rules(e.value(), p + ".rules"));
      out.add(new GuestSpec(ref.get(), mode, rules, keyLoc));
    }
    out.sort(Comparator.comparing((GuestSpec g) -> g.ref().label()));
    return out;
  }

  private Optional<GuestRef> guestRef(String key, SourceLocation loc, String p) {
    Optional<Uuid> uuid = Uuid.parse(key);
    if (uuid.isPresent()) {
      return Optional.of(new GuestRef.ByUuid(uuid.get()));
    }
    Optional<String> why = GuestNames.problem(key);
    if (why.isPresent()) {
      shape.add(loc, p, why.get());
      return Optional.empty();
    }
    return Optional.of(new GuestRef.ByName(key));
  }

  private Optional<Mode> mode(YNode node, String p) {
    return choice(node, p, "mode", Arrays.asList(Mode.values()), Mode::label);
  }

  private PolicySpec policy(YMap m, String path) {
    keys(m, path, SpecKeys.of(PolicyFileSpec.class));
    return new PolicySpec(
        entry(m, "allow_unconfined").flatMap(e -> bool(e.value(), path + ".allow_unconfined")).orElse(false));
  }

  // ---- generic readers ----

  /** Reports keys of {@code m} that are not in {@code valid}, with the closest valid one. */
  void keys(YMap m, String path, List<String> valid) {
    for (Map.Entry<String, Entry> kv : m.entries().entrySet()) {
      if (!valid.contains(kv.getKey())) {
        shape.add(kv.getValue().keyLocation(), child(path, kv.getKey()),
            "unknown property '" + kv.getKey() + "'"
                + Suggestions.closest(kv.getKey(), valid).map(c -> " (did you mean '" + c + "'?)")
                    .orElse(" (expected one of: " + String.join(", ", valid) + ")"));
      }
    }
  }

  static Optional<Entry> entry(YMap m, String key) {
    return Optional.ofNullable(m.entries().get(key));
  }

  Optional<YMap> map(YNode node, String p) {
    if (node instanceof YMap m) {
      return Optional.of(m);
    }
    shape.add(node.location(), p, "expected a mapping, got " + node.describe());
    return Optional.empty();
  }

  Optional<String> string(YNode node, String p) {
    if (node instanceof YNode.YStr s) {
      return Optional.of(s.value());
    }
    return wrong(node, p, "a string");
  }

  Optional<Boolean> bool(YNode node, String p) {
    if (node instanceof YNode.YBool b) {
      return Optional.of(b.value());
    }
    return wrong(node, p, "true or false");
  }

  Optional<List<String>> strings(YNode node, String p) {
    if (!(node instanceof YNode.YList l)) {
      return wrong(node, p, "a list of strings");
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < l.items().size(); i++) {
      Optional<String> s = string(l.items().get(i), p + "[" + i + "]");
      ok &= s.isPresent();
      s.ifPresent(out::add);
    }
    return ok ? Optional.of(out) : Optional.empty();
  }

  private Optional<List<String>> rules(YNode node, String p) {
    return strings(node, p).flatMap(r -> new RuleChecks(shape, combos, warnings, note, allowUnconfined, includes)
        .check(r, (YNode.YList) node, p));
  }

  private <E> Optional<E> choice(
      YNode node, String p, String what, List<E> values, Function<E, String> label) {
    List<String> labels = values.stream().map(label).toList();
    if (!(node instanceof YNode.YStr s)) {
      return wrong(node, p, oneOf(labels));
    }
    for (E v : values) {
      if (label.apply(v).equals(s.value())) {
        return Optional.of(v);
      }
    }
    String hint = Suggestions.closest(s.value(), labels)
        .map(c -> "did you mean '" + c + "'?")
        .orElse("expected " + oneOf(labels));
    shape.add(node.location(), p, "unknown " + what + " '" + s.value() + "' (" + hint + ")");
    return Optional.empty();
  }

  /** "a", "a or b", "a, b or c". */
  static String oneOf(List<String> labels) {
    if (labels.size() == 1) {
      return labels.get(0);
    }
    return String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + labels.get(labels.size() - 1);
  }

  private <T> Optional<T> wrong(YNode node, String p, String expected) {
    shape.add(node.location(), p, "expected " + expected + ", got " + node.describe());
    return Optional.empty();
  }

  /** The path of {@code key} under {@code path}; odd keys are quoted so the path stays readable. */
  static String child(String path, String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return join(path, key);
    }
    return path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }
}
