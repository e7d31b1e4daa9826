package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.RuleLine;
import io.svirtctl.qemuconf.KeyCatalog;
import io.svirtctl.qemuconf.KeySpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * The JSON Schema (draft 2020-12) of a state file, generated from the spec records and libvirt's
 * key catalog, so editors can check state files as they are typed. The loader stays the
 * authority: combinations (such as {@code security_driver: none} without {@code
 * policy.allow_unconfined}) and AppArmor rule syntax are checked only there.
 */
public final class StateSchema {

  private StateSchema() {}

  /** The schema as pretty-printed JSON, ending in a newline. */
  public static String json() {
    ObjectMapper mapper = new ObjectMapper();
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(mapper, SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(Option.DEFINITIONS_FOR_ALL_OBJECTS)
            .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
            .without(Option.NONPUBLIC_NONSTATIC_FIELDS_WITH_GETTERS);
    config.forFields()
        .withPropertyNameOverrideResolver(f -> {
          JsonProperty p = f.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
          return p == null ? null : p.value();
        })
        .withDescriptionResolver(f -> {
          JsonPropertyDescription d = f.getAnnotationConsideringFieldAndGetter(JsonPropertyDescription.class);
          return d == null ? null : d.value();
        })
        .withRequiredCheck(f -> {
          JsonProperty p = f.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
          return p != null && p.required();
        })
        .withStringPatternResolver(f -> f.isFakeContainerItemScope() && isRuleList(f) ? RuleLine.SCHEMA_PATTERN : null);
    config.forTypesInGeneral()
        .withCustomDefinitionProvider((type, context) -> {
          Class<?> raw = type.getErasedType();
          if (raw == QemuConfSpec.class) {
            return new CustomDefinition(qemuConf(mapper), CustomDefinition.DefinitionType.STANDARD,
                CustomDefinition.AttributeInclusion.NO);
          }
          if (raw.isEnum()) {
            ObjectNode e = mapper.createObjectNode().put("type", "string");
            ArrayNode values = e.putArray("enum");
            Arrays.stream(raw.getEnumConstants()).map(StateSchema::label).forEach(values::add);
            return new CustomDefinition(e, CustomDefinition.DefinitionType.INLINE,
                CustomDefinition.AttributeInclusion.NO);
          }
          return null;
        });
    SchemaGenerator generator = new SchemaGenerator(config.build());
    ObjectNode schema = (ObjectNode) generator.generateSchema(StateFileSpec.class);
    schema.put("$id", "https://svirtctl.io/schema/state-v1.json");
    schema.put("title", "svirtctl state file (apiVersion svirtctl/v1)");
    ((ObjectNode) schema.get("properties").get("apiVersion")).putArray("enum").add(StateLoader.API_VERSION);
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(schema) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the schema cannot be printed", e);
    }
  }

  /** The lists of AppArmor rules: their items follow the rule pattern. */
  private static boolean isRuleList(FieldScope f) {
    JsonProperty p = f.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
    return p != null && (p.value().equals("rules") || p.value().equals("site_rules"));
  }

  private static String label(Object constant) {
    if (constant instanceof Mode m) {
      return m.label();
    }
    if (constant instanceof StateKind k) {
      return k.name();
    }
    return ((Enum<?>) constant).name().toLowerCase(Locale.ROOT);
  }

  private static ObjectNode qemuConf(ObjectMapper mapper) {
    ObjectNode node = mapper.createObjectNode().put("type", "object");
    node.put("additionalProperties", false);
    ObjectNode props = node.putObject("properties");
    for (String name : KeyCatalog.libvirt().names()) {
      KeySpec spec = KeyCatalog.libvirt().find(name).orElseThrow();
      props.set(name, value(mapper, spec));
    }
    return node;
  }

  private static JsonNode value(ObjectMapper mapper, KeySpec spec) {
    ObjectNode nul = mapper.createObjectNode().put("type", "null");
    if (spec.obsolete()) {
      return nul.put("description", "libvirt no longer reads this key; only null (remove it) is accepted");
    }
    ObjectNode str = mapper.createObjectNode().put("type", "string");
    if (!spec.allowed().isEmpty()) {
      ArrayNode e = str.putArray("enum");
      spec.allowed().forEach(e::add);
    }
    ObjectNode list = mapper.createObjectNode().put("type", "array");
    list.set("items", str.deepCopy());
    ObjectNode out = mapper.createObjectNode();
    ArrayNode any = out.putArray("anyOf");
    switch (spec.type()) {
      case BOOL -> {
        any.add(mapper.createObjectNode().put("type", "boolean"));
        ObjectNode i = any.addObject().put("type", "integer").put("minimum", 0).put("maximum", 1);
        i.put("description", "0 or 1");
      }
      case INT -> any.addObject().put("type", "integer")
          .put("minimum", Integer.MIN_VALUE).put("maximum", Integer.MAX_VALUE);
      case UINT -> any.addObject().put("type", "integer").put("minimum", 0).put("maximum", 0xFFFF_FFFFL);
      case LIMIT -> {
        any.addObject().put("type", "integer").put("minimum", 0);
        any.addObject().put("const", "unlimited");
      }
      case STRING -> any.add(str);
      case STRING_LIST -> any.add(list);
      case STRING_OR_LIST -> {
        any.add(str);
        any.add(list);
      }
      default -> throw new IllegalStateException("unhandled value type " + spec.type());
    }
    any.add(nul);
    return out;
  }
}
