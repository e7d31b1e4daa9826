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
import io.svirtctl.apparmor.FlagRules;
import io.svirtctl.apparmor.RuleLine;
import io.svirtctl.qemuconf.KeyCatalog;
import io.svirtctl.qemuconf.KeySpec;
import java.util.Arrays;
import java.util.List;

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
            Arrays.stream(raw.getEnumConstants()).map(c -> SpecKeys.label((Enum<?>) c)).forEach(values::add);
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
    domain(mapper, schema);
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

  /** What the loader checks beyond the records' types and rule patterns, as far as a schema can say it. */
  private static void domain(ObjectMapper mapper, ObjectNode schema) {
    ObjectNode flags = def(schema, "/TemplateFileSpec/properties/flags");
    ArrayNode known = ((ObjectNode) flags.get("items")).putArray("enum");
    FlagRules.known().forEach(known::add);
    ArrayNode conflicts = flags.putObject("not").putArray("anyOf");
    for (List<String> pair : FlagRules.conflicts()) {
      ArrayNode both = conflicts.addObject().putArray("allOf");
      pair.forEach(f -> both.addObject().putObject("contains").put("const", f));
    }
    ObjectNode content = def(schema, "/TemplateFileSpec/properties/content");
    content.put("pattern", BodyReader.TEMPLATE_HEADER_LINE);
    content.putObject("not").put("pattern", "\\x00");
    def(schema, "/GuestsFileSpec/properties/list").putObject("propertyNames")
        .put("pattern", GuestNames.PATTERN);
  }

  private static ObjectNode def(ObjectNode schema, String pointer) {
    JsonNode node = schema.at("/$defs" + pointer);
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalStateException("the generated schema lacks " + pointer);
    }
    return o;
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
    if (spec.name().equals("security_driver")) {
      // libvirt refuses a repeated driver; svirtctl an empty list, and 'none' beside another.
      list.put("minItems", 1).put("uniqueItems", true);
      ArrayNode noneBeside = list.putObject("not").putArray("allOf");
      noneBeside.addObject().putObject("contains").put("const", "none");
      noneBeside.addObject().put("minItems", 2);
    }
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
