package io.svirtctl.state;

import static io.svirtctl.state.SpecBinder.child;
import static io.svirtctl.state.SpecBinder.join;

import io.svirtctl.Diagnostic;
import io.svirtctl.SourceLocation;
import io.svirtctl.Suggestions;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.FlagRules;
import io.svirtctl.apparmor.IncludeCheck;
import io.svirtctl.qemuconf.KeyCatalog;
import io.svirtctl.qemuconf.KeySpec;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.qemuconf.ValueType;
import io.svirtctl.state.YNode.Entry;
import io.svirtctl.state.YNode.YMap;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the body of one host's state ({@code qemu_conf}, {@code apparmor}, {@code policy}) into
 * the validated records. The shape (keys, types, enum values) is the {@link SpecBinder}'s; this
 * class adds the domain checks: libvirt's key catalog, rule lines, profile flags, guest names and
 * combinations. Problems of one key or value and problems between settings go to separate
 * sinks, so a Fleet can check each fragment's shape once and the merged host's combinations once.
 */
final class BodyReader {

  static final List<String> BODY_KEYS = SpecKeys.of(BodySpec.class);

  /**
   * A line of the template starting the profile libvirt renames per guest; the schema uses the
   * same expression. Line starts as Java's multiline mode sees them.
   */
  static final String TEMPLATE_HEADER_LINE =
      "(?:^|[\\n\\r\\u0085\\u2028\\u2029])profile LIBVIRT_TEMPLATE[ {]";

  private static final Pattern TEMPLATE_HEADER = Pattern.compile(TEMPLATE_HEADER_LINE);

  private final Problems shape;
  private final Problems combos;
  private final String note;
  private final SpecBinder binder;
  private final KeyCatalog catalog = KeyCatalog.libvirt();
  private final List<Diagnostic> warnings = new ArrayList<>();
  private final List<RuleOrigin> origins = new ArrayList<>();
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
    this.binder = new SpecBinder(shape);
  }

  /** Reads a body whose keys the caller has already checked. */
  HostState read(String host, YMap body, String prefix) {
    BodySpec spec = binder.components(body, prefix, BodySpec.class);
    List<QemuSetting> qemu = new ArrayList<>();
    if (spec.qemuConf() != null) {
      qemuConf(mapAt(body, "qemu_conf"), join(prefix, "qemu_conf"), qemu);
    }
    Map<String, QemuSetting> byKey = new HashMap<>();
    qemu.forEach(s -> byKey.put(s.key(), s));
    PolicySpec policy =
        new PolicySpec(spec.policy() != null && Boolean.TRUE.equals(spec.policy().allowUnconfined()));
    allowUnconfined = policy.allowUnconfined();
    AppArmorSpec apparmor =
        spec.apparmor() == null
            ? AppArmorSpec.unmanaged()
            : apparmor(spec.apparmor(), mapAt(body, "apparmor"), join(prefix, "apparmor"));
    driverCombinations(byKey, prefix);
    new UnconfinedPolicy(combos, note).check(body, prefix);
    return new HostState(host, qemu, apparmor, policy, warnings, origins);
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
        return binder.wrong(node, p, "true or false");
      case INT:
        if (node instanceof YNode.YInt i) {
          return Optional.of(new QemuValue.Int(i.value(), i.value().signum() < 0));
        }
        return binder.wrong(node, p, "an integer");
      case UINT:
        if (node instanceof YNode.YInt i && i.value().signum() >= 0) {
          return Optional.of(new QemuValue.Int(i.value(), false));
        }
        return binder.wrong(node, p, "an unsigned integer");
      case LIMIT:
        if (node instanceof YNode.YInt i && i.value().signum() >= 0) {
          return Optional.of(new QemuValue.Int(i.value(), false));
        }
        if (node instanceof YNode.YStr s) {
          return Optional.of(new QemuValue.Str(s.value()));
        }
        return binder.wrong(node, p, "an unsigned integer or 'unlimited'");
      case STRING:
        return binder.string(node, p).map(QemuValue.Str::new);
      case STRING_LIST:
        return binder.strings(node, p).map(QemuValue.Lst::ofStrings);
      case STRING_OR_LIST:
        if (node instanceof YNode.YStr s) {
          return Optional.of(new QemuValue.Str(s.value()));
        }
        if (node instanceof YNode.YList) {
          return binder.strings(node, p).map(QemuValue.Lst::ofStrings);
        }
        return binder.wrong(node, p, "a string or a list of strings");
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

  private AppArmorSpec apparmor(AppArmorFileSpec spec, YMap m, String path) {
    Optional<TemplateSpec> template =
        Optional.ofNullable(spec.template())
            .map(t -> template(t, mapAt(m, "template"), path + ".template"));
    Optional<List<String>> siteRules =
        Optional.ofNullable(spec.siteRules()).flatMap(r -> rules(r, m, "site_rules", path, RuleOrigin.Scope.SITE));
    GuestsSpec guests =
        Optional.ofNullable(spec.guests())
            .map(g -> guests(g, mapAt(m, "guests"), path + ".guests"))
            .orElse(GuestsSpec.unmanaged());
    return new AppArmorSpec(
        template, siteRules, guests, Optional.ofNullable(spec.reload()).orElse(ReloadPolicy.AUTO));
  }

  private TemplateSpec template(TemplateFileSpec spec, YMap m, String path) {
    Optional<String> content =
        Optional.ofNullable(spec.content())
            .filter(c -> templateContent(c, nodeAt(m, "content"), path + ".content"));
    content.ifPresent(c -> origins.add(new RuleOrigin(
        RuleOrigin.Scope.CONTENT, path + ".content", c, nodeAt(m, "content").location())));
    Optional<List<String>> flags = Optional.ofNullable(spec.flags());
    flags.ifPresent(f -> FlagRules.problems(f)
        .forEach(msg -> shape.add(nodeAt(m, "flags").location(), path + ".flags", msg)));
    Optional<List<String>> rules = Optional.ofNullable(spec.rules()).flatMap(r -> rules(r, m, "rules", path, RuleOrigin.Scope.TEMPLATE));
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

  private GuestsSpec guests(GuestsFileSpec spec, YMap m, String path) {
    List<GuestSpec> list =
        spec.list() == null ? List.of() : guestList(spec.list(), mapAt(m, "list"), path + ".list");
    return new GuestsSpec(
        Optional.ofNullable(spec.defaultMode()),
        Optional.ofNullable(spec.profiles()).orElse(ProfilesPolicy.ADOPT),
        Boolean.TRUE.equals(spec.prune()),
        Boolean.TRUE.equals(spec.hook()),
        list);
  }

  private List<GuestSpec> guestList(Map<String, GuestEntrySpec> entries, YMap m, String path) {
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
      GuestEntrySpec entry = entries.get(key);
      if (entry == null || ref.isEmpty()) {
        continue;
      }
      Optional<List<String>> rules =
          Optional.ofNullable(entry.rules()).flatMap(r -> rules(r, (YMap) kv.getValue().value(), "rules", p, RuleOrigin.Scope.GUEST));
      out.add(new GuestSpec(ref.get(), Optional.ofNullable(entry.mode()), rules, keyLoc));
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

  /** The rules bound at {@code key} of {@code m}, if each is one rule line; notes where each is. */
  private Optional<List<String>> rules(
      List<String> rules, YMap m, String key, String path, RuleOrigin.Scope scope) {
    YNode.YList node = (YNode.YList) nodeAt(m, key);
    String p = path + "." + key;
    Optional<List<String>> checked =
        new RuleChecks(shape, combos, warnings, note, allowUnconfined, includes).check(rules, node, p);
    checked.ifPresent(list -> {
      for (int i = 0; i < list.size(); i++) {
        origins.add(new RuleOrigin(scope, p + "[" + i + "]", list.get(i), node.items().get(i).location()));
      }
    });
    return checked;
  }

  // ---- where a bound value was written ----

  private static YNode nodeAt(YMap m, String key) {
    return m.entries().get(key).value();
  }

  /** The mapping at {@code key}; only called once the binder has bound it as one. */
  private static YMap mapAt(YMap m, String key) {
    return (YMap) nodeAt(m, key);
  }
}
