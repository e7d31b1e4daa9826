package io.svirtctl.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.svirtctl.qemuconf.KeyCatalog;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.qemuconf.ValueType;
import io.svirtctl.state.GuestRef;
import io.svirtctl.state.GuestSpec;
import io.svirtctl.state.HostState;
import io.svirtctl.state.QemuSetting;
import io.svirtctl.state.TemplateSpec;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a host state as a {@code kind: Host} YAML file (the output of {@code export}). */
public final class StateYaml {

  private static final YAMLMapper MAPPER =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private StateYaml() {}

  public static String write(HostState state) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "svirtctl/v1");
    doc.put("kind", "Host");
    if (!state.qemuConf().isEmpty()) {
      Map<String, Object> q = new LinkedHashMap<>();
      for (QemuSetting s : state.qemuConf()) {
        q.put(s.key(), s.value().map(v -> yaml(s.key(), v)).orElse(null));
      }
      doc.put("qemu_conf", q);
    }
    Map<String, Object> aa = new LinkedHashMap<>();
    state.apparmor().template().ifPresent(t -> aa.put("template", template(t)));
    state.apparmor().siteRules().ifPresent(r -> aa.put("site_rules", r));
    Map<String, Object> guests = new LinkedHashMap<>();
    state.apparmor().guests().defaultMode().ifPresent(m -> guests.put("default_mode", m.label()));
    guests.put("profiles", state.apparmor().guests().profiles().name().toLowerCase(Locale.ROOT));
    guests.put("prune", state.apparmor().guests().prune());
    if (state.apparmor().guests().hook()) {
      guests.put("hook", true);
    }
    Map<String, Object> list = new LinkedHashMap<>();
    for (GuestSpec g : state.apparmor().guests().list()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      g.mode().ifPresent(m -> entry.put("mode", m.label()));
      g.rules().ifPresent(r -> entry.put("rules", r));
      list.put(key(g.ref()), entry);
    }
    if (!list.isEmpty()) {
      guests.put("list", list);
    }
    aa.put("guests", guests);
    aa.put("reload", state.apparmor().reload().name().toLowerCase(Locale.ROOT));
    doc.put("apparmor", aa);
    doc.put("policy", Map.of("allow_unconfined", state.policy().allowUnconfined()));
    try {
      return MAPPER.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> template(TemplateSpec t) {
    Map<String, Object> m = new LinkedHashMap<>();
    t.content().ifPresent(c -> m.put("content", c));
    t.flags().ifPresent(f -> m.put("flags", f));
    t.rules().ifPresent(r -> m.put("rules", r));
    return m;
  }

  private static String key(GuestRef ref) {
    if (ref instanceof GuestRef.ByName n) {
      return n.name();
    }
    return ((GuestRef.ByUuid) ref).uuid().toString();
  }

  /** A qemu.conf value as YAML: booleans for bool keys, numbers, strings, lists. */
  private static Object yaml(String key, QemuValue v) {
    ValueType type = KeyCatalog.libvirt().find(key).map(s -> s.type()).orElse(ValueType.STRING);
    if (v instanceof QemuValue.Int i) {
      if (type == ValueType.BOOL) {
        return i.value().equals(BigInteger.ONE);
      }
      return i.value();
    }
    if (v instanceof QemuValue.Str s) {
      return s.value();
    }
    List<Object> items = ((QemuValue.Lst) v).items().stream().map(x -> yaml("", x)).toList();
    return items;
  }
}
