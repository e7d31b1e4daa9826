package io.svirtctl.learn;

import io.svirtctl.apparmor.AppArmorGlob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a guest already has in the declared state (its own, the template's, the site rules),
 * read well enough to tell whether they allow a proposed rule: file rules by AppArmor glob
 * matching with the root's variables and permission inclusion ({@code w} includes {@code a}, any
 * exec mode includes {@code ix}), {@code capability} and {@code network} by name, family and type,
 * bare {@code signal,} {@code ptrace,} {@code unix,} {@code file,} as allowing their whole kind,
 * anything else by identical text. {@code deny} rules and rules it cannot read allow nothing.
 */
public final class DeclaredRules {

  private static final Pattern EXEC_MODE = Pattern.compile("(?:[pPcC]?[iI]?|[pPcC][uU]|[uU])x");
  private static final Pattern PERMS = Pattern.compile("[mrwalkixpPcCuU]+");

  private record FileGrant(AppArmorGlob glob, String perms, boolean exec, boolean ownerOnly) {}

  private final List<FileGrant> files = new ArrayList<>();
  private final Set<String> capabilities = new HashSet<>();
  private final Set<String> networks = new HashSet<>();
  private final Set<String> wholeKinds = new HashSet<>();
  private final Set<String> exact = new HashSet<>();

  private DeclaredRules() {}

  /** The rules of {@code rules}, with {@code variables} for {@code @{VAR}} in paths. */
  public static DeclaredRules of(List<String> rules, Map<String, List<String>> variables) {
    DeclaredRules d = new DeclaredRules();
    for (String rule : rules) {
      d.add(rule, variables);
    }
    return d;
  }

  /** Whether the declared rules already allow everything {@code proposed} asks for. */
  public boolean allows(ProposedRule proposed) {
    if (proposed instanceof ProposedRule.FileAccess f) {
      if (wholeKinds.contains("file")) {
        return true;
      }
      StringBuilder granted = new StringBuilder();
      boolean exec = false;
      for (FileGrant g : files) {
        if ((!g.ownerOnly() || f.owner()) && g.glob().matches(f.path())) {
          granted.append(g.perms());
          exec |= g.exec();
        }
      }
      String have = granted.toString();
      if (have.indexOf('w') >= 0) {
        have += "a";
      }
      for (char c : f.perms().toCharArray()) {
        if (have.indexOf(c) < 0) {
          return false;
        }
      }
      return !f.exec() || exec;
    }
    String text = normalise(proposed.text());
    String[] words = text.replace(",", "").split(" ");
    switch (words[0]) {
      case "capability":
        return wholeKinds.contains("capability") || capabilities.contains(words[1]);
      case "network":
        return wholeKinds.contains("network") || networks.contains(words[1])
            || (words.length > 2 && networks.contains(words[1] + " " + words[2]));
      default:
        return wholeKinds.contains(words[0]) || exact.contains(text);
    }
  }

  private void add(String rule, Map<String, List<String>> variables) {
    String text = normalise(withoutComment(rule));
    if (!text.endsWith(",")) {
      return;
    }
    List<String> words = words(text.substring(0, text.length() - 1));
    boolean ownerOnly = false;
    while (!words.isEmpty()) {
      String w = words.get(0);
      if (w.equals("deny") || w.equals("other")) {
        return;
      }
      if (!w.equals("audit") && !w.equals("allow") && !w.equals("owner")) {
        break;
      }
      ownerOnly |= w.equals("owner");
      words.remove(0);
    }
    if (words.isEmpty()) {
      return;
    }
    String kind = words.get(0);
    if (kind.equals("file")) {
      words.remove(0);
      if (words.isEmpty()) {
        wholeKinds.add("file");
        return;
      }
    }
    if (words.size() == 1 && !isPath(words.get(0))) {
      wholeKinds.add(kind);
      return;
    }
    switch (kind) {
      case "capability" -> capabilities.addAll(words.subList(1, words.size()));
      case "network" -> {
        List<String> rest = words.subList(1, words.size()).stream()
            .filter(w -> !w.startsWith("(") && !w.endsWith(")")).toList();
        networks.add(rest.size() >= 2 ? rest.get(0) + " " + rest.get(1) : rest.get(0));
      }
      default -> {
        if (words.size() >= 2 && isPath(words.get(0)) && PERMS.matcher(words.get(1)).matches()) {
          file(words.get(0), words.get(1), ownerOnly, variables);
        } else if (words.size() >= 2 && isPath(words.get(1))
            && PERMS.matcher(words.get(0)).matches()) {
          file(words.get(1), words.get(0), ownerOnly, variables);
        } else {
          exact.add(text);
        }
      }
    }
  }

  private void file(String path, String perms, boolean ownerOnly, Map<String, List<String>> vars) {
    String p = path.startsWith("\"") && path.endsWith("\"") && path.length() > 1
        ? path.substring(1, path.length() - 1) : path;
    Optional<AppArmorGlob> glob = AppArmorGlob.compile(p, vars);
    if (glob.isEmpty()) {
      return;
    }
    boolean exec = EXEC_MODE.matcher(perms).find() && perms.indexOf('x') >= 0;
    String plain = perms.replaceAll("[pPcCuUiI]*x", "");
    files.add(new FileGrant(glob.get(), plain, exec, ownerOnly));
  }

  private static boolean isPath(String w) {
    return w.startsWith("/") || w.startsWith("@{") || w.startsWith("\"/") || w.startsWith("\"@{");
  }

  private static String withoutComment(String rule) {
    int hash = rule.indexOf(" #");
    return hash < 0 ? rule : rule.substring(0, hash);
  }

  private static String normalise(String rule) {
    return rule.strip().replaceAll("\\s+", " ").replaceAll("\\s+,$", ",");
  }

  /** Words separated by spaces; a quoted word keeps its spaces. */
  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : s.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ' ' && !quoted) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }
}
