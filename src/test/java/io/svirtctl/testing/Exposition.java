package io.svirtctl.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: it lists
 * every way a text breaks the format or the conventions svirtctl keeps (every family has HELP
 * and TYPE before its samples, one block per family, no repeated series, a final newline).
 */
public final class Exposition {

  private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private Exposition() {}

  /** Every problem found, one per line, with its line number; empty when the text is valid. */
  public static List<String> check(String text) {
    List<String> problems = new ArrayList<>();
    parse(text, problems);
    return problems;
  }

  /** The samples of one metric, in order. */
  public static List<Sample> samples(String text, String name) {
    List<String> problems = new ArrayList<>();
    List<Sample> all = parse(text, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("not valid exposition text: " + problems);
    }
    return all.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static List<Sample> parse(String text, List<String> problems) {
    List<Sample> samples = new ArrayList<>();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      problems.add("the text does not end with a newline");
    }
    Map<String, String> help = new TreeMap<>();
    Map<String, String> type = new TreeMap<>();
    Set<String> finished = new HashSet<>();
    Set<String> series = new HashSet<>();
    String current = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String at = "line " + (i + 1) + ": ";
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
          String name = parts[2];
          String rest = parts.length == 4 ? parts[3] : "";
          if (!METRIC.matcher(name).matches()) {
            problems.add(at + "bad metric name '" + name + "'");
          }
          if (current != null && !current.equals(name)) {
            finished.add(current);
          }
          if (finished.contains(name)) {
            problems.add(at + name + " appears in a second block");
          }
          current = name;
          Map<String, String> seen = parts[1].equals("HELP") ? help : type;
          if (seen.put(name, rest) != null) {
            problems.add(at + "a second " + parts[1] + " for " + name);
          }
          if (parts[1].equals("HELP") && !escapesValid(rest)) {
            problems.add(at + "bad escape in HELP of " + name);
          }
          if (parts[1].equals("TYPE") && !TYPES.contains(rest)) {
            problems.add(at + "unknown type '" + rest + "'");
          }
          if (parts[1].equals("TYPE") && samples.stream().anyMatch(s -> s.name().equals(name))) {
            problems.add(at + "TYPE of " + name + " after its samples");
          }
        }
        continue;
      }
      Sample s = sample(line, at, problems);
      if (s == null) {
        continue;
      }
      if (current != null && !current.equals(s.name())) {
        finished.add(current);
      }
      if (finished.contains(s.name())) {
        problems.add(at + s.name() + " appears in a second block");
      }
      current = s.name();
      if (!help.containsKey(s.name()) || !type.containsKey(s.name())) {
        problems.add(at + s.name() + " has no HELP or TYPE before its samples");
      }
      if (!series.add(s.name() + new TreeMap<>(s.labels()))) {
        problems.add(at + "series repeated: " + s.name() + s.labels());
      }
      samples.add(s);
    }
    return samples;
  }

  private static Sample sample(String line, String at, List<String> problems) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (!METRIC.matcher(name).matches()) {
      problems.add(at + "bad metric name '" + name + "'");
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (i < line.length() && line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        if (eq < 0) {
          problems.add(at + "label without '='");
          return null;
        }
        String label = line.substring(i, eq);
        if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
          problems.add(at + "bad label name '" + label + "'");
        }
        if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
          problems.add(at + "label value of " + label + " is not quoted");
          return null;
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        boolean closed = false;
        while (j < line.length()) {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = j + 1 < line.length() ? line.charAt(j + 1) : ' ';
            switch (n) {
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              case 'n' -> value.append('\n');
              default -> problems.add(at + "bad escape in label " + label);
            }
            j += 2;
          } else if (c == '"') {
            closed = true;
            j++;
            break;
          } else {
            value.append(c);
            j++;
          }
        }
        if (!closed) {
          problems.add(at + "label value of " + label + " is not closed");
          return null;
        }
        if (labels.put(label, value.toString()) != null) {
          problems.add(at + "label " + label + " given twice");
        }
        i = j;
        if (i < line.length() && line.charAt(i) == ',') {
          i++;
        }
      }
      if (i >= line.length()) {
        problems.add(at + "labels not closed");
        return null;
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      problems.add(at + "no value");
      return null;
    }
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length > 2) {
      problems.add(at + "more than a value and a timestamp");
      return null;
    }
    double value;
    try {
      value = value(rest[0]);
    } catch (NumberFormatException e) {
      problems.add(at + "value '" + rest[0] + "' is not a number");
      return null;
    }
    if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) {
      problems.add(at + "timestamp '" + rest[1] + "' is not an integer");
    }
    return new Sample(name, labels, value);
  }

  private static double value(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        if (!text.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
          throw new NumberFormatException(text);
        }
        yield Double.parseDouble(text);
      }
    };
  }

  /** HELP text escapes only backslash and newline. */
  private static boolean escapesValid(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        char n = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
        if (n != '\\' && n != 'n') {
          return false;
        }
        i++;
      }
    }
    return true;
  }
}
