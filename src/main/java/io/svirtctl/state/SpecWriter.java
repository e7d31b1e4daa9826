package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.svirtctl.qemuconf.KeyCatalog;
import io.svirtctl.qemuconf.KeySpec;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.qemuconf.ValueType;
import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host state as the document a {@code kind: Host} file holds, built through the same {@code
 * *FileSpec} records the loader binds and the schema is generated from, so what export writes is
 * what the loader reads. The {@code qemu_conf} mapping comes from libvirt's key catalog.
 */
public final class SpecWriter {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .registerModule(new SimpleModule().addSerializer(new EnumLabels()));

  private SpecWriter() {}

  /** The document of {@code state}, keys in the records' order, absent parts left out. */
  public static JsonNode tree(HostState state) {
    AppArmorSpec aa = state.apparmor();
    GuestsSpec g = aa.guests();
    Map<String, GuestEntrySpec> list = new LinkedHashMap<>();
    for (GuestSpec guest : g.list()) {
      list.put(guest.ref().label(),
          new GuestEntrySpec(guest.mode().orElse(null), guest.rules().orElse(null)));
    }
    GuestsFileSpec guests = new GuestsFileSpec(g.defaultMode().orElse(null), g.profiles(), g.prune(),
        g.hook() ? Boolean.TRUE : null, list.isEmpty() ? null : list);
    AppArmorFileSpec apparmor = new AppArmorFileSpec(
        aa.template().map(t -> new TemplateFileSpec(
            t.content().orElse(null), t.flags().orElse(null), t.rules().orElse(null))).orElse(null),
        aa.siteRules().orElse(null), guests, aa.reload());
    StateFileSpec file = new StateFileSpec(StateLoader.API_VERSION, StateKind.Host, null, apparmor,
        new PolicyFileSpec(state.policy().allowUnconfined()), null, null, null);
    ObjectNode bound = MAPPER.valueToTree(file);
    ObjectNode out = MAPPER.createObjectNode();
    out.set("apiVersion", bound.get("apiVersion"));
    out.set("kind", bound.get("kind"));
    if (!state.qemuConf().isEmpty()) {
      ObjectNode q = out.putObject("qemu_conf");
      for (QemuSetting s : state.qemuConf()) {
        q.set(s.key(), s.value().map(v -> value(s.key(), v)).orElse(q.nullNode()));
      }
    }
    bound.remove("apiVersion");
    bound.remove("kind");
    out.setAll(bound);
    return out;
  }

  /** A qemu.conf value as the loader reads it: booleans for bool keys, numbers, strings, lists. */
  private static JsonNode value(String key, QemuValue v) {
    ValueType type = KeyCatalog.libvirt().find(key).map(KeySpec::type).orElse(ValueType.STRING);
    if (v instanceof QemuValue.Int i) {
      return type == ValueType.BOOL
          ? MAPPER.getNodeFactory().booleanNode(i.value().equals(BigInteger.ONE))
          : MAPPER.getNodeFactory().numberNode(i.value());
    }
    if (v instanceof QemuValue.Str s) {
      return MAPPER.getNodeFactory().textNode(s.value());
    }
    var items = MAPPER.createArrayNode();
    ((QemuValue.Lst) v).items().forEach(x -> items.add(value("", x)));
    return items;
  }

  /** Enum constants as the state file writes them. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class EnumLabels extends StdSerializer<Enum> {
    EnumLabels() {
      super(Enum.class);
    }

    @Override
    public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(SpecKeys.label(value));
    }
  }
}
