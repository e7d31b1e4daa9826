package io.svirtctl.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of state files that are each certainly invalid: a valid state for the demo
 * host with one to three slots given a value the loader refuses, a key misspelt, the YAML syntax
 * broken, or bytes no YAML file may hold. The same seed gives the same files. {@link
 * #validVariants()} gives the valid states the same slots allow.
 */
final class HostileStates {

  /** A valid state for the demo host; each {@code {NAME}} is a slot. */
  static final String TEMPLATE =
      "apiVersion: {API}\n"
          + "kind: {KIND}\n"
          + "qemu_conf:\n"
          + "  security_driver: {DRIVER}\n"
          + "  security_default_confined: {BOOL}\n"
          + "  max_files: {INT}\n"
          + "apparmor:\n"
          + "  template:\n"
          + "    flags: {FLAGS}\n"
          + "    rules: {RULES}\n"
          + "  site_rules: {RULES}\n"
          + "  guests:\n"
          + "    default_mode: {MODE}\n"
          + "    profiles: {PROFILES}\n"
          + "    prune: {PRUNE}\n"
          + "    list:\n"
          + "      {GUEST}: {mode: {MODE}, rules: {RULES}}\n"
          + "  reload: {RELOAD}\n"
          + "policy:\n"
          + "  allow_unconfined: {PRUNE}\n";

  /** Values each slot may hold in a valid state; the first is the one {@link #valid()} uses. */
  private static final Map<String, List<String>> VALID_VALUES =
      Map.ofEntries(
          Map.entry("API", List.of("svirtctl/v1", "\"svirtctl/v1\"")),
          Map.entry("KIND", List.of("Host", "'Host'")),
          Map.entry("DRIVER", List.of("apparmor", "[apparmor]", "selinux", "[selinux, apparmor]", "null")),
          Map.entry("BOOL", List.of("true", "false", "0", "1", "null")),
          Map.entry("INT", List.of("32768", "0", "-1", "2147483647", "null")),
          Map.entry("FLAGS", List.of("[attach_disconnected]", "[]", "[attach_disconnected, mediate_deleted]",
              "[complain, complain]", "[audit, kill]")),
          Map.entry("RULES", List.of("[\"/srv/vm-images/** rwk,\"]", "[]", "[\"  /x r,  \"]",
              "[\"/dev/vfio/* rw,\", \"network inet stream,\"]", "[\"/x r, # a note\"]",
              "[\"include <abstractions/base>\"]",
              "[\"/srv/includes/** r,\"]")),
          Map.entry("MODE", List.of("enforce", "complain")),
          Map.entry("PROFILES", List.of("adopt", "render")),
          Map.entry("PRUNE", List.of("false", "true")),
          Map.entry("GUEST", List.of("web01", "5B3A1C1E-8A51-4D7C-9A77-0123456789AB", "web-01.example.com",
              "\"db 01\"", "nosuchguest", "\"...\"", "\".hidden\"", "deadbeef")),
          Map.entry("RELOAD", List.of("auto", "never", "always")));

  private static final Map<String, String> VALID =
      VALID_VALUES.entrySet().stream()
          .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0)));

  private static final Map<String, List<String>> INVALID =
      Map.ofEntries(
          Map.entry(
              "API", List.of("svirtctl/v2", "v1", "\"\"", "[svirtctl/v1]", "{a: 1}", "7", "null")),
          Map.entry(
              "KIND", List.of("host", "Hosts", "Fleetx", "[Host]", "1", "null", "\"\"")),
          Map.entry(
              "DRIVER",
              List.of("dac", "bogus", "\"apparmor \"", "[apparmor, dac]", "{a: b}", "3", "[[apparmor]]",
                  "none", "[selinux, selinux, bogus]")),
          Map.entry(
              "BOOL", List.of("2", "-1", "yesno", "\"1x\"", "[1]", "{a: 1}", "0.5", "\"maybe\"")),
          Map.entry(
              "INT",
              List.of("99999999999999999999999", "-1x", "\"many\"", "[1]", "1.5", "true", "{a: 1}",
                  "0x")),
          Map.entry(
              "FLAGS",
              List.of("[complain, enforce]", "[\"attach_disconnected)\"]", "[\"a,b\"]", "complain,enforce",
                  "{a: b}", "[[x]]", "[\"\"]", "[\"x y\"]", "[\"flags=(x)\"]")),
          Map.entry(
              "RULES",
              List.of("[\"/x r\"]", "[\"}\"]", "[\"/x r,\\n}\"]", "[\"#include \\\"/etc/shadow\\\"\"]",
                  "[\"include <x>\"]", "[\"/x r, include <abstractions/evil> /y r,\"]",
                  "[\"/x r # hidden,\"]", "[\"\"]", "[\"  \"]", "[\"profile evil {\"]",
                  "[\"/x r,\\r\"]", "[\"/x r,\\u0000\"]", "[\"} profile evil { /etc/shadow rw,\"]",
                  "[\"/x r,\\n  #include </etc/shadow>\"]", "[1]", "[[\"/x r,\"]]", "{a: b}",
                  "\"/x r,\"", "[\"^hat {\"]", "[\"/x r,\\u2028}\"]")),
          Map.entry(
              "MODE", List.of("Enforce", "audit", "kill", "unconfined", "[enforce]", "1", "\"\"")),
          Map.entry(
              "PROFILES", List.of("render-all", "Adopt", "[adopt]", "1", "\"\"")),
          Map.entry(
              "PRUNE", List.of("maybe", "2", "\"yes please\"", "[true]", "{a: 1}")),
          Map.entry(
              "GUEST",
              List.of("../../etc/shadow", "\"..\"", "/etc/passwd",
                  "5b3a1c1e-8a51-4d7c-9a77-0123456789a", "5b3a1c1e-8a51-4d7c-9a77-0123456789abc",
                  "\"5b3a1c1e-8a51-4d7c-9a77-0123456789ab/../x\"",
                  "\"web01\\u0000\"", "\"web01/../db01\"",
                  "\"\"", "\"5b3a1c1e-8a51-4d7c-9a77-0123456789ab\\n\"")),
          Map.entry(
              "RELOAD", List.of("sometimes", "Auto", "[auto]", "1", "\"\"")));

  private static final String[] SYNTAX_BREAKERS = {
    " [", " {", ": : x", " \"open", " ]", " }", " *alias", " !!binary x", " |\n x"
  };

  private static final byte[][] BAD_BYTES = {
    {0}, {(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0xe2, (byte) 0x82}, {7}, {0x1b}, {(byte) 0xfe},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80}
  };

  private final Random random;

  HostileStates(long seed) {
    this.random = new Random(seed);
  }

  /** The template with every slot valid. */
  /**
   * Guest keys that are valid domain names the demo host does not define, some looking like its
   * UUIDs: a warning each, never resolved to a guest (the rest of the state applies).
   */
  static final List<String> ABSENT_NAMES =
      List.of("\"libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab\"",
          "5b3a1c1g-8a51-4d7c-9a77-0123456789ab", "\"{5b3a1c1e-8a51-4d7c-9a77-0123456789ab}\"",
          "\"5b3a1c1e-8a51-4d7c-9a77-01234567８9ab\"", "5b3a1c1e_8a51_4d7c_9a77_0123456789ab",
          "nosuchguest", "\"web01 \"");

  /** The valid state with {@code guest} as the listed guest's key. */
  static String withGuest(String guest) {
    return valid().replace("      web01: {", "      " + guest + ": {");
  }

  static String valid() {
    String text = TEMPLATE;
    for (Map.Entry<String, String> slot : VALID.entrySet()) {
      text = text.replace("{" + slot.getKey() + "}", slot.getValue());
    }
    return text;
  }

  /**
   * Every state with one slot given another valid value: files the loader accepts (or refuses
   * only for a combination, such as {@code allow_unconfined} without a driver {@code none}).
   */
  static List<Case> validVariants() {
    List<Case> out = new ArrayList<>();
    for (String slot : VALID_VALUES.keySet().stream().sorted().toList()) {
      for (String value : VALID_VALUES.get(slot)) {
        Map<String, String> chosen = new LinkedHashMap<>(VALID);
        chosen.put(slot, value);
        String text = TEMPLATE;
        for (Map.Entry<String, String> e : chosen.entrySet()) {
          text = text.replace("{" + e.getKey() + "}", e.getValue());
        }
        out.add(new Case("valid: " + slot + "=" + value, text.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  /** One generated invalid state file, with a short description of how it was made. */
  record Case(String description, byte[] content) {}

  List<Case> generate(int count) {
    List<Case> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(next(i));
    }
    return out;
  }

  private Case next(int i) {
    int kind = i % 4;
    return switch (kind) {
      case 0 -> badValues(1 + random.nextInt(3));
      case 1 -> misspeltKey();
      case 2 -> brokenSyntax();
      default -> badBytes();
    };
  }

  private Case badValues(int n) {
    Map<String, String> chosen = new LinkedHashMap<>(VALID);
    // Sorted: a Map.of iterates in an order that changes from one JVM to the next.
    List<String> slots = INVALID.keySet().stream().sorted().toList();
    StringBuilder what = new StringBuilder("bad values:");
    for (int k = 0; k < n; k++) {
      String slot = slots.get(random.nextInt(slots.size()));
      List<String> pool = INVALID.get(slot);
      String value = pool.get(random.nextInt(pool.size()));
      chosen.put(slot, value);
      what.append(' ').append(slot).append('=').append(value);
    }
    String text = TEMPLATE;
    for (Map.Entry<String, String> slot : chosen.entrySet()) {
      text = text.replace("{" + slot.getKey() + "}", slot.getValue());
    }
    return new Case(what.toString(), text.getBytes(StandardCharsets.UTF_8));
  }

  private Case misspeltKey() {
    String[] lines = valid().split("\n", -1);
    int line = random.nextInt(lines.length - 1);
    if (lines[line].contains("{mode:")) {
      // A guest's key is a domain name, not a schema key: a name this host does not define is
      // a warning (the rest applies), so misspell the key above it instead.
      line--;
    }
    String l = lines[line];
    int colon = l.indexOf(':');
    int start = l.length() - l.stripLeading().length();
    String key = l.substring(start, colon);
    String bad =
        switch (random.nextInt(4)) {
          case 0 -> key.substring(0, key.length() - 1);
          case 1 -> key + "s";
          case 2 -> Character.toUpperCase(key.charAt(0)) + key.substring(1) + "_";
          default -> key.replace('_', '-') + "x";
        };
    lines[line] = l.substring(0, start) + bad + l.substring(colon);
    return new Case(
        "misspelt key " + key + " -> " + bad,
        String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
  }

  private Case brokenSyntax() {
    String[] lines = valid().split("\n", -1);
    int line = random.nextInt(lines.length - 1);
    String breaker = SYNTAX_BREAKERS[random.nextInt(SYNTAX_BREAKERS.length)];
    String what;
    if (random.nextInt(4) == 0) {
      lines[line] = "\t" + lines[line];
      what = "tab before line " + (line + 1);
    } else {
      lines[line] = lines[line] + breaker;
      what = "'" + breaker.strip() + "' after line " + (line + 1);
    }
    return new Case(
        "broken syntax: " + what, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
  }

  private Case badBytes() {
    byte[] text = valid().getBytes(StandardCharsets.UTF_8);
    byte[] bad = BAD_BYTES[random.nextInt(BAD_BYTES.length)];
    int at = random.nextInt(text.length);
    byte[] out = new byte[text.length + bad.length];
    System.arraycopy(text, 0, out, 0, at);
    System.arraycopy(bad, 0, out, at, bad.length);
    System.arraycopy(text, at, out, at + bad.length, text.length - at);
    StringBuilder hex = new StringBuilder();
    for (byte b : bad) {
      hex.append(String.format("%02x", b & 0xff));
    }
    return new Case("bytes " + hex + " at offset " + at, out);
  }
}
