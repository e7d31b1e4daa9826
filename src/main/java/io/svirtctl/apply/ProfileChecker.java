package io.svirtctl.apply;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.ParserRefusal;
import io.svirtctl.host.ScratchTree;
import io.svirtctl.plan.FileOperation;
import io.svirtctl.plan.Plan;
import io.svirtctl.plan.Planner;
import io.svirtctl.plan.ProfileCompilation;
import io.svirtctl.state.RuleOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the whole effect of a plan on AppArmor before anything is written: the planned files are
 * laid over a private copy of the host's AppArmor directory (outside the root), and
 * apparmor_parser compiles every profile the plan reaches there: each planned profile, and each
 * profile of the libvirt directory (template and guests) that includes a changed file, such as
 * the site rules' abstraction. Guests that differ only in their UUID are compiled once.
 *
 * <p>A refusal names what the user can fix: the state file's position of the declared rule the
 * parser refused, or the host file and line it blames, never the private copy.
 */
public final class ProfileChecker {

  /**
   * libvirt writes the guest's {@code .files} list when the guest starts (a new guest has none
   * yet) and rewrites it at every start, so the check compiles the profile without it: it checks
   * what svirtctl writes. The comment keeps line numbers; the written profile keeps the include.
   */
  private static final Pattern FILES_INCLUDE =
      Pattern.compile("(?m)^(\\s*)#include (<libvirt/libvirt-[0-9a-f-]{36}\\.files>)");

  private static final String GUEST_PREFIX = "libvirt-";

  private final HostLayout layout;
  private final ApparmorParser parser;

  public ProfileChecker(HostLayout layout, ApparmorParser parser) {
    this.layout = layout;
    this.parser = parser;
  }

  /**
   * Compiles every profile the plan reaches.
   *
   * @param origins where the declared rules are written, to name a refused rule's position
   * @return warnings (no parser installed)
   * @throws InvalidInputException when the parser refuses a profile as planned
   */
  public List<String> check(Plan plan, HostSnapshot snap, List<RuleOrigin> origins) {
    Path apparmorDir = layout.apparmorDir();
    Map<Path, FileOperation> planned = new LinkedHashMap<>();
    for (FileOperation op : plan.files()) {
      if (op.path().startsWith(apparmorDir)) {
        planned.put(op.path(), op);
      }
    }
    Set<Path> changedIncludes = new HashSet<>();
    Map<Path, String> targets = new LinkedHashMap<>();
    for (FileOperation op : planned.values()) {
      if (op.profile() && op.after().isPresent()) {
        targets.put(op.path(), op.after().get());
      } else if (!op.profile() && !inProfileDir(op.path())) {
        changedIncludes.add(op.path());
      }
    }
    Map<Path, String> reachable = new LinkedHashMap<>();
    if (!changedIncludes.isEmpty()) {
      List<HostFile> existing = new ArrayList<>(
          List.of(snap.templateQemu(), snap.templateLegacy(), snap.templateLxc()));
      existing.addAll(snap.guestProfiles().values());
      // A template the planner could not use changes nothing and is not compiled either.
      boolean templateBroken = !Planner.brokenTemplate(snap).isEmpty();
      for (HostFile f : existing) {
        boolean unusable = snap.undecodable(f).isPresent()
            || (templateBroken && isTemplate(f.path(), snap));
        if (!unusable && f.text().isPresent() && !f.text().get().isEmpty()
            && !planned.containsKey(f.path())) {
          reachable.put(f.path(), f.text().get());
        }
      }
    }
    if (targets.isEmpty() && reachable.isEmpty()) {
      return List.of();
    }
    if (!parser.isInstalled()) {
      return List.of(layout.apparmorParser() + " is not installed: " + planned.size()
          + " AppArmor file(s) written without a syntax check");
    }
    try (ScratchTree tree = ScratchTree.of(layout)) {
      for (FileOperation op : planned.values()) {
        if (op.after().isPresent()) {
          tree.put(op.path(), op.after().get());
        } else {
          tree.remove(op.path());
        }
      }
      // Guest profiles that differ only in their own UUID compile alike (the UUID only appears
      // in names and paths), so each such shape is compiled once: a run that switches thousands
      // of guests runs the parser once, not once per guest (about 50 ms each).
      Set<String> shapes = new HashSet<>();
      for (Map.Entry<Path, String> t : targets.entrySet()) {
        if (shapes.add(shapeOf(t.getKey(), t.getValue()))) {
          compile(tree, t.getKey(), t.getValue(), planned, snap, origins);
        }
      }
      for (Map.Entry<Path, String> t : reachable.entrySet()) {
        if (shapes.add(shapeOf(t.getKey(), t.getValue()))
            && reaches(tree, t.getKey(), t.getValue(), changedIncludes)) {
          compile(tree, t.getKey(), t.getValue(), planned, snap, origins);
        }
      }
    }
    return List.of();
  }

  /**
   * Compiles every profile of the host as it is (templates, the daemon's profile, each guest
   * profile shape), going on after a refusal: doctor's view of what the kernel would load.
   */
  public ProfileCompilation compileAll(HostSnapshot snap) {
    if (!parser.isInstalled()) {
      return ProfileCompilation.notInstalled();
    }
    List<HostFile> profiles = new ArrayList<>(List.of(
        snap.templateQemu(), snap.templateLegacy(), snap.templateLxc(), snap.libvirtdProfile()));
    profiles.addAll(snap.guestProfiles().values());
    List<Diagnostic> refusals = new ArrayList<>();
    int compiled = 0;
    try (ScratchTree tree = ScratchTree.of(layout)) {
      Set<String> shapes = new HashSet<>();
      for (HostFile f : profiles) {
        String text = f.text().orElse("");
        // One that is not UTF-8 is reported as unreadable; its lossy text is not compiled.
        if (!text.isEmpty() && snap.undecodable(f).isEmpty() && shapes.add(shapeOf(f.path(), text))) {
          compiled++;
          try {
            compile(tree, f.path(), text, Map.of(), snap, List.of());
          } catch (InvalidInputException e) {
            refusals.addAll(e.diagnostics());
          }
        }
      }
    }
    return new ProfileCompilation(Optional.of(parser.displayName()), compiled, refusals);
  }

  private boolean inProfileDir(Path path) {
    return path.getParent() != null
        && path.getParent().equals(layout.apparmorDir().resolve("libvirt"))
        && (path.getFileName().toString().startsWith(GUEST_PREFIX)
            || path.getFileName().toString().startsWith("TEMPLATE"));
  }

  /** Whether a profile includes one of the changed files, directly or not. */
  private static boolean reaches(ScratchTree tree, Path path, String text, Set<Path> changed) {
    tree.put(path, text);
    Set<Path> included = tree.includes(path);
    return changed.stream().anyMatch(included::contains);
  }

  private void compile(
      ScratchTree tree,
      Path path,
      String text,
      Map<Path, FileOperation> planned,
      HostSnapshot snap,
      List<RuleOrigin> origins) {
    String compiled = FILES_INCLUDE.matcher(text).replaceAll(
        m -> Matcher.quoteReplacement(m.group(1) + "# not checked: libvirt's " + m.group(2)));
    Path candidate = tree.put(path, compiled);
    Optional<ParserRefusal> refusal =
        parser.compile(tree.directory(), List.of(tree.directory()), candidate);
    if (refusal.isPresent()) {
      throw refused(refusal.get(), tree, path, planned, snap, origins);
    }
  }

  /**
   * The refusal as the user can act on it: a declared rule's position in the state file when the
   * parser blames a line svirtctl wrote from one, else the file and line it blames.
   */
  private InvalidInputException refused(
      ParserRefusal r,
      ScratchTree tree,
      Path compiled,
      Map<Path, FileOperation> planned,
      HostSnapshot snap,
      List<RuleOrigin> origins) {
    Path blamed = r.file().map(tree::shown).orElse(compiled);
    String message = tree.unscratch(r.message());
    String who = parser.displayName();
    Optional<String> line = r.line() > 0 && tree.covers(blamed)
        ? lineOf(tree.real(blamed), r.line())
        : Optional.empty();
    if (line.isPresent() && planned.containsKey(blamed)) {
      String text = planned.get(blamed).after().orElse("");
      for (RuleOrigin o : origins) {
        if (o.scope() == RuleOrigin.Scope.CONTENT && o.rule().equals(text)) {
          // The whole template comes from the state: name the content and the line in it.
          return new InvalidInputException(o.location(), o.path() + ", line " + r.line() + ": "
              + who + " refuses \"" + line.get().strip() + "\": " + message);
        }
      }
      Optional<RuleOrigin> origin = originOf(line.get().strip(), scopesOf(blamed, snap), origins);
      if (origin.isPresent()) {
        RuleOrigin o = origin.get();
        return new InvalidInputException(
            o.location(), o.path() + ": " + who + " refuses \"" + o.rule() + "\": " + message);
      }
    }
    String what = line.map(l -> "\"" + l.strip() + "\"").orElse(blamed.toString());
    String context = blamed.equals(compiled) ? "" : " (included by " + compiled + ")";
    return new InvalidInputException(
        new SourceLocation(blamed.toString(), r.line(), 0),
        who + " refuses " + what + context + ": " + message);
  }

  /** The managed blocks a file's rule lines come from, most specific first. */
  private static boolean isTemplate(Path file, HostSnapshot snap) {
    return file.equals(snap.templateQemu().path()) || file.equals(snap.templateLegacy().path());
  }

  private static List<RuleOrigin.Scope> scopesOf(Path file, HostSnapshot snap) {
    if (file.equals(snap.siteRulesLocal().path()) || file.equals(snap.siteRulesDropIn().path())) {
      return List.of(RuleOrigin.Scope.SITE);
    }
    if (isTemplate(file, snap)) {
      return List.of(RuleOrigin.Scope.TEMPLATE);
    }
    return List.of(RuleOrigin.Scope.GUEST, RuleOrigin.Scope.TEMPLATE);
  }

  private static Optional<RuleOrigin> originOf(
      String rule, List<RuleOrigin.Scope> scopes, List<RuleOrigin> origins) {
    for (RuleOrigin.Scope scope : scopes) {
      for (RuleOrigin o : origins) {
        if (o.scope() == scope && o.rule().equals(rule)) {
          return Optional.of(o);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> lineOf(Path file, int line) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return line <= lines.size() ? Optional.of(lines.get(line - 1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The text with a guest profile's own UUID replaced, or the name and text of other files. */
  private static String shapeOf(Path path, String text) {
    String fileName = path.getFileName().toString();
    if (fileName.startsWith(GUEST_PREFIX)) {
      String rest = fileName.substring(GUEST_PREFIX.length());
      Optional<Uuid> uuid = Uuid.parse(rest);
      if (uuid.isPresent() && uuid.get().value().equals(rest)) {
        return "guest\n" + text.replace(uuid.get().value(), "\0uuid\0");
      }
    }
    return fileName + "\n" + text;
  }
}
