package io.svirtctl.apparmor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one-line rules of real profile files, found without svirtctl's lexer: a line inside a
 * profile body (or anywhere in an abstraction) that starts a statement and ends it with a ',' or
 * is an include. Each rule keeps the variable definitions of its file, its context.
 */
final class RuleCorpus {

  /** One rule as found. */
  record Found(Path file, int line, String rule, String preamble) {}

  private static final Pattern ENDS_RULE = Pattern.compile(".*,\\s*(#.*)?$");
  private static final Pattern OPENS = Pattern.compile(".*\\{\\s*(#.*)?$");
  private static final Pattern INCLUDE = Pattern.compile("^(#include|include)\\s.*|^#include<.*");
  private static final Pattern VARIABLE = Pattern.compile("^@\\{\\w+\\}\\s*\\+?=.*");

  private RuleCorpus() {}

  /**
   * The file's own context: its variable definitions and, outside bodies, the includes of its
   * preamble other than tunables/global (which the guest profile already includes).
   */
  private static String preamble(List<String> lines, boolean bodyAtTop) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (String line : lines) {
      String t = line.strip();
      if (VARIABLE.matcher(t).matches()) {
        out.append(t).append('\n');
      } else if (depth == 0 && !bodyAtTop && INCLUDE.matcher(t).matches() && !t.contains("tunables/global")) {
        out.append(t).append('\n');
      }
      if (!t.startsWith("#") && OPENS.matcher(t).matches()) {
        depth++;
      } else if (t.startsWith("}")) {
        depth = Math.max(0, depth - 1);
      }
    }
    return out.toString();
  }

  /** Every profile file under {@code dir} (recursively), tunables and abi excluded. */
  static List<Path> profileFiles(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/tunables/") && !p.toString().contains("/abi/"))
          .filter(p -> !p.getFileName().toString().equals("README"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The one-line rules of a file; {@code bodyAtTop} for files whose top level is a body
   * (abstractions and other included rule files).
   */
  static List<Found> rules(Path file, boolean bodyAtTop) {
    List<String> lines;
    try {
      lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\r?\n", -1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String variables = preamble(lines, bodyAtTop);
    List<Found> out = new ArrayList<>();
    int depth = 0;
    boolean statementOpen = false;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (t.isEmpty() || (t.startsWith("#") && !INCLUDE.matcher(t).matches())) {
        continue;
      }
      boolean inBody = depth > 0 || bodyAtTop;
      if (t.startsWith("}")) {
        depth = Math.max(0, depth - 1);
        statementOpen = false;
        if (OPENS.matcher(t).matches()) {
          depth++;
        }
        continue;
      }
      if (OPENS.matcher(t).matches() && !statementOpen) {
        depth++;
        continue;
      }
      if (INCLUDE.matcher(t).matches() && !statementOpen) {
        if (inBody) {
          out.add(new Found(file, i + 1, t, variables));
        }
        continue;
      }
      if (VARIABLE.matcher(t).matches() || t.startsWith("alias ") || t.startsWith("abi ")) {
        continue;
      }
      boolean ends = ENDS_RULE.matcher(t).matches();
      if (!statementOpen && ends && inBody) {
        out.add(new Found(file, i + 1, t, variables));
      }
      statementOpen = !ends;
    }
    return out;
  }
}
