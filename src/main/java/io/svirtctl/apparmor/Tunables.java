package io.svirtctl.apparmor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables AppArmor's tunables define ({@code @{HOME}=@{HOMEDIRS}/{@literal *}/ /root/},
 * {@code @{HOMEDIRS}+=/srv/home/}), collected from the text of tunables files in the order they
 * are given. Values stay as written: {@link AppArmorGlob} expands variables inside them.
 */
public final class Tunables {

  private final Map<String, List<String>> values = new LinkedHashMap<>();

  /** Adds the assignments of one tunables file; lines of any other kind are ignored. */
  public Tunables add(String text) {
    for (String raw : text.split("\n", -1)) {
      String line = stripComment(raw).strip();
      if (!line.startsWith("@{")) {
        continue;
      }
      int close = line.indexOf('}');
      if (close < 0) {
        continue;
      }
      String name = line.substring(2, close);
      String rest = line.substring(close + 1).strip();
      boolean append = rest.startsWith("+=");
      if (!append && !rest.startsWith("=")) {
        continue;
      }
      List<String> words = words(rest.substring(append ? 2 : 1));
      if (append) {
        values.computeIfAbsent(name, k -> new ArrayList<>()).addAll(words);
      } else {
        values.put(name, new ArrayList<>(words));
      }
    }
    return this;
  }

  /** Every variable with its values, as {@link AppArmorGlob#compile} takes them. */
  public Map<String, List<String>> variables() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int end = s.indexOf('"', i + 1);
        end = end < 0 ? s.length() : end;
        out.add(s.substring(i + 1, end));
        i = end + 1;
      } else {
        int end = i;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
          end++;
        }
        out.add(s.substring(i, end));
        i = end;
      }
    }
    return out;
  }

  private static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted) {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
