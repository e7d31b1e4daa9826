package io.svirtctl.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.apparmor.SvirtTemplate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the libvirt qemu hook restores before a guest starts: the last applied mode and managed
 * rules of every managed guest, the mode and rules of guests unknown at apply time, and the
 * template text to instantiate a missing profile from. apply writes it as JSON in the state
 * directory ({@code hook/guests.json}); the hook only reads it.
 *
 * @param template the sVirt template text after the run; empty when the host has none
 * @param defaultMode the mode of a guest not in {@code guests} ({@code default_mode}); empty
 *     leaves such guests as libvirt makes them
 * @param defaultRules the managed rules of a guest not in {@code guests} (the template's)
 * @param guests the managed guests by UUID
 */
public record HookRecord(
    Optional<String> template,
    Optional<Mode> defaultMode,
    List<String> defaultRules,
    SortedMap<Uuid, Guest> guests) {

  /** The version of the JSON layout; a hook refuses a record it does not understand. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public HookRecord {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(defaultMode, "defaultMode");
    defaultRules = List.copyOf(defaultRules);
    guests = Collections.unmodifiableSortedMap(new TreeMap<>(guests));
  }

  /**
   * One guest's last applied profile settings.
   *
   * @param name the libvirt domain name, when the host defined it at apply time
   */
  public record Guest(Optional<String> name, Mode mode, List<String> rules) {

    public Guest {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(mode, "mode");
      rules = List.copyOf(rules);
    }
  }

  /** The mode and rules the hook gives this guest's profile, if any. */
  public Optional<Guest> settingsFor(Uuid uuid) {
    Guest listed = guests.get(uuid);
    if (listed != null) {
      return Optional.of(listed);
    }
    return defaultMode.map(m -> new Guest(Optional.empty(), m, defaultRules));
  }

  /**
   * The profile text the hook leaves for a guest: {@code current} with the recorded mode and
   * managed rules, or, when the profile is missing or 0-byte (libvirt would make it from the
   * template in enforce mode), a new one from the recorded template. Empty when nothing needs
   * writing or there is no recorded template to make a profile from.
   */
  public Optional<String> restore(Uuid uuid, Guest settings, Optional<String> current) {
    String name = uuid.profileName();
    if (current.isEmpty() || current.get().isEmpty()) {
      return template.map(
          t -> {
            SvirtTemplate parsed = SvirtTemplate.parse("hook record template", t);
            return ProfileDocument.parse(name, parsed.instantiate(uuid))
                .withMode(settings.mode())
                .withManagedRules(name, settings.rules())
                .text();
          });
    }
    ProfileDocument doc = ProfileDocument.parse(name, current.get());
    ProfileDocument edited = doc.mode() == settings.mode() ? doc : doc.withMode(settings.mode());
    if (!edited.managedRules(name).equals(settings.rules())) {
      edited = edited.withManagedRules(name, settings.rules());
    }
    return edited.text().equals(current.get()) ? Optional.empty() : Optional.of(edited.text());
  }

  /** The record as JSON: stable key order, guests sorted by UUID, ending in a newline. */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    template.ifPresent(t -> root.put("template", t));
    defaultMode.ifPresent(m -> root.put("default_mode", m.label()));
    strings(root.putArray("default_rules"), defaultRules);
    ObjectNode all = root.putObject("guests");
    for (Map.Entry<Uuid, Guest> e : guests.entrySet()) {
      ObjectNode g = all.putObject(e.getKey().toString());
      e.getValue().name().ifPresent(n -> g.put("name", n));
      g.put("mode", e.getValue().mode().label());
      strings(g.putArray("rules"), e.getValue().rules());
    }
    return root.toPrettyString() + "\n";
  }

  /**
   * Reads a record written by {@link #toJson()}.
   *
   * @param shownName the file name diagnostics print
   * @throws InvalidInputException when the text is not such a record
   */
  public static HookRecord parse(String json, String shownName) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw invalid(shownName, "not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid(shownName, "expected a JSON object");
    }
    if (root.path("format_version").asInt(-1) != FORMAT_VERSION) {
      throw invalid(shownName, "unsupported format_version (expected " + FORMAT_VERSION + ")");
    }
    Optional<String> template = text(root.get("template"), shownName, "template");
    Optional<Mode> defaultMode =
        text(root.get("default_mode"), shownName, "default_mode").map(m -> mode(m, shownName));
    List<String> defaultRules = strings(root.get("default_rules"), shownName, "default_rules");
    SortedMap<Uuid, Guest> guests = new TreeMap<>();
    JsonNode all = root.path("guests");
    Iterator<Map.Entry<String, JsonNode>> fields = all.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String where = "guests." + e.getKey();
      Uuid uuid =
          Uuid.parse(e.getKey()).orElseThrow(() -> invalid(shownName, where + ": not a UUID"));
      JsonNode g = e.getValue();
      Mode mode =
          mode(
              text(g.get("mode"), shownName, where + ".mode")
                  .orElseThrow(() -> invalid(shownName, where + ".mode is missing")),
              shownName);
      guests.put(
          uuid,
          new Guest(
              text(g.get("name"), shownName, where + ".name"),
              mode,
              strings(g.get("rules"), shownName, where + ".rules")));
    }
    return new HookRecord(template, defaultMode, defaultRules, guests);
  }

  private static void strings(ArrayNode array, List<String> items) {
    items.forEach(array::add);
  }

  private static Optional<String> text(JsonNode node, String shownName, String where) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid(shownName, where + " must be a string");
    }
    return Optional.of(node.asText());
  }

  private static List<String> strings(JsonNode node, String shownName, String where) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid(shownName, where + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      out.add(text(item, shownName, where).orElseThrow(() -> invalid(shownName, where + " holds null")));
    }
    return out;
  }

  private static Mode mode(String label, String shownName) {
    for (Mode m : Mode.values()) {
      if (m.label().equals(label.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw invalid(shownName, "unknown mode '" + label + "'");
  }

  private static InvalidInputException invalid(String shownName, String message) {
    return new InvalidInputException(SourceLocation.ofFile(shownName), "hook record: " + message);
  }
}
