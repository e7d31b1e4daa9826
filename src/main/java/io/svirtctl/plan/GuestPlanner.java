package io.svirtctl.plan;

import io.svirtctl.InvalidInputException;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.apparmor.SvirtTemplate;
import io.svirtctl.host.DomainDefinition;
import io.svirtctl.host.DomainProblem;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.RunningDomain;
import io.svirtctl.state.GuestRef;
import io.svirtctl.state.GuestSpec;
import io.svirtctl.state.GuestsSpec;
import io.svirtctl.state.ProfilesPolicy;
import io.svirtctl.state.ReloadPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans every guest profile: modes, managed rules, profiles created for guests that have none,
 * regeneration with {@code profiles: render}, pruning of guests that no longer exist.
 *
 * <p>A guest's managed block holds the template's managed rules followed by the guest's own, so
 * rules declared on the template reach every guest, also with {@code profiles: adopt}.
 */
final class GuestPlanner {

  private final HostSnapshot snap;
  private final KernelStatus kernel;
  private final GuestsSpec spec;
  private final ReloadPolicy reload;
  private final TemplatePlanner.Outcome template;
  private final Path libvirtProfileDir;
  private final PlanBuilder out;
  private final SortedMap<Uuid, HookRecord.Guest> applied = new TreeMap<>();

  GuestPlanner(
      HostSnapshot snap,
      KernelStatus kernel,
      GuestsSpec spec,
      ReloadPolicy reload,
      TemplatePlanner.Outcome template,
      PlanBuilder out) {
    this.snap = snap;
    this.kernel = kernel;
    this.spec = spec;
    this.reload = reload;
    this.template = template;
    // Guest profiles live beside the template: <apparmor dir>/libvirt/.
    this.libvirtProfileDir = snap.templateQemu().path().getParent();
    this.out = out;
  }

  void plan() {
    Map<Uuid, String> names = new HashMap<>();
    SortedSet<Uuid> defined = new TreeSet<>();
    for (DomainDefinition d : snap.guests()) {
      names.put(d.uuid(), d.name());
    }
    for (DomainDefinition d : snap.domains()) {
      defined.add(d.uuid());
    }
    Map<Uuid, GuestSpec> listed = resolve(GuestResolver.of(snap));
    Map<Uuid, String> live = liveWithoutDefinition(defined);
    SortedSet<Uuid> known = new TreeSet<>(defined);
    known.addAll(snap.guestProfiles().keySet());
    known.addAll(snap.undecodableProfiles().keySet());
    known.addAll(listed.keySet());
    for (RunningDomain r : snap.running()) {
      known.add(r.domain().uuid());
    }
    boolean prune = spec.prune() && snap.domainProblems().isEmpty();
    for (DomainProblem p : snap.domainProblems()) {
      out.warn(spec.prune()
          ? "prune is suspended for this run: " + p.diagnostic()
              + " (the guest that file describes is unknown)"
          : p.diagnostic() + " (left out: the guest that file describes is unknown)");
    }
    Map<Uuid, DomainProblem> unsure = new HashMap<>();
    for (DomainProblem p : snap.domainProblems()) {
      p.guests().forEach(u -> unsure.putIfAbsent(u, p));
    }
    List<Uuid> withoutProfile = new ArrayList<>();
    for (Uuid uuid : known) {
      GuestId id = new GuestId(uuid, Optional.ofNullable(names.get(uuid)));
      Optional<GuestSpec> g = Optional.ofNullable(listed.get(uuid));
      HostFile file = snap.guestProfiles().get(uuid);
      boolean managed = g.isPresent() || spec.defaultMode().isPresent();
      if (managed && unsure.containsKey(uuid)) {
        out.fail(resource(id), List.of(unsure.get(uuid).diagnostic()));
        continue;
      }
      if (snap.undecodableProfiles().containsKey(uuid)) {
        // Left as it is, never pruned or made anew: its bytes are unknown.
        if (managed) {
          out.fail(resource(id), List.of(snap.undecodableProfiles().get(uuid)));
        }
        continue;
      }
      if (prune && file != null && !defined.contains(uuid) && g.isEmpty()) {
        if (live.containsKey(uuid)) {
          out.warn("prune keeps " + uuid.profileName() + ": " + live.get(uuid));
        } else {
          prune(id, file);
          continue;
        }
      }
      if (!managed) {
        // Neither listed nor covered by default_mode: svirtctl leaves this guest alone.
        continue;
      } else if (!template.broken().isEmpty()) {
        // Its managed block starts with the template's rules, and a new profile is made from it.
        out.fail(resource(id), template.broken());
      } else if (file == null) {
        if (template.template().isEmpty()) {
          withoutProfile.add(uuid);
        } else {
          create(id, g);
        }
      } else {
        update(id, g, file);
      }
    }
    if (prune) {
      for (Uuid uuid : snap.filesLists()) {
        if (!known.contains(uuid) && !live.containsKey(uuid)) {
          // A .files list whose profile is already gone (a prune interrupted between its two
          // deletes): without this, a rerun would never finish the prune.
          Path f = libvirtProfileDir.resolve(uuid.profileName() + ".files");
          out.deleteUnread(f);
          out.change(new GuestProfilePruned(new GuestId(uuid, Optional.empty()), f, Optional.empty()));
        }
      }
    }
    if (!withoutProfile.isEmpty()) {
      out.warn(
          withoutProfile.size() + " guest(s) have no profile and the host has no sVirt template to make one from: "
              + withoutProfile);
    }
    long existing = snap.guestProfiles().size();
    if (template.headerChanged() && spec.profiles() == ProfilesPolicy.ADOPT && existing > 0) {
      out.warn(
          "the template change reaches the " + existing
              + " existing guest profile(s) only with apparmor.guests.profiles: render; new guests get it");
    }
  }

  /**
   * The guests that have no persistent domain XML but are live, with why: libvirt runs them (its
   * status XML; transient guests have only that) or their profile is loaded in the kernel. prune
   * never deletes their profiles (DESIGN.md §1).
   */
  private Map<Uuid, String> liveWithoutDefinition(SortedSet<Uuid> defined) {
    Map<Uuid, String> live = new HashMap<>();
    for (Uuid uuid : kernel.loadedGuests()) {
      if (!defined.contains(uuid)) {
        live.put(uuid, "its profile is loaded in the kernel");
      }
    }
    for (RunningDomain r : snap.running()) {
      Uuid uuid = r.domain().uuid();
      if (!defined.contains(uuid)) {
        live.put(uuid, "guest " + r.domain().name() + " is " + r.state() + " (transient; "
            + r.domain().file() + ")");
      }
    }
    return live;
  }

  /**
   * The mode and managed rules every managed guest's profile has after the plan, for the hook's
   * record; filled by {@link #plan()}.
   */
  SortedMap<Uuid, HookRecord.Guest> applied() {
    return applied;
  }

  /**
   * Maps every listed guest to its UUID; names resolve through the host's domain XML. A name this
   * host does not define (a guest migrated away, or not defined yet) is skipped with one warning
   * each, so the rest of the state still applies.
   */
  private Map<Uuid, GuestSpec> resolve(GuestResolver resolver) {
    Map<Uuid, GuestSpec> listed = new TreeMap<>();
    for (GuestSpec g : spec.list()) {
      Uuid uuid;
      if (g.ref() instanceof GuestRef.ByUuid u) {
        uuid = u.uuid();
      } else if (g.ref() instanceof GuestRef.ByName n) {
        Optional<Uuid> found = resolver.byName(n.name());
        Optional<DomainProblem> broken = snap.domainProblems().stream()
            .filter(p -> p.names().contains(n.name()))
            .findFirst();
        if (found.isEmpty() && broken.isPresent()) {
          // Its domain XML may be the file that cannot be used: not absent, unknown.
          out.fail("apparmor.guests.list." + n.name(), List.of(broken.get().diagnostic()));
          continue;
        }
        if (found.isEmpty()) {
          out.warn(
              g.location() + ": apparmor.guests.list." + n.name() + ": no guest named '"
                  + n.name() + "' is defined on this host; its entry is skipped"
                  + resolver.hint(n.name()));
          continue;
        }
        uuid = found.get();
      } else {
        throw new IllegalStateException("unknown guest reference " + g.ref());
      }
      GuestSpec previous = listed.put(uuid, g);
      if (previous != null) {
        throw new InvalidInputException(
            g.location(),
            "apparmor.guests.list: guest " + uuid + " is listed twice (also at "
                + previous.location() + ")");
      }
    }
    return listed;
  }

  private Mode modeOf(Optional<GuestSpec> g, Mode current) {
    return g.flatMap(GuestSpec::mode).or(spec::defaultMode).orElse(current);
  }

  private List<String> rulesOf(Optional<GuestSpec> g) {
    LinkedHashSet<String> rules = new LinkedHashSet<>(template.rules());
    g.flatMap(GuestSpec::rules).ifPresent(rules::addAll);
    return List.copyOf(rules);
  }

  private String render(GuestId id, Mode mode, List<String> rules) {
    SvirtTemplate t = template.template().orElseThrow();
    Path path = pathOf(id.uuid());
    ProfileDocument doc = ProfileDocument.parse(path.toString(), t.instantiate(id.uuid()));
    return doc.withMode(mode).withManagedRules(id.profileName(), rules).text();
  }

  private void create(GuestId id, Optional<GuestSpec> g) {
    Mode mode = modeOf(g, Mode.ENFORCE);
    List<String> rules = rulesOf(g);
    Path path = pathOf(id.uuid());
    HostFile absent = HostFile.absent(path);
    out.write(absent, render(id, mode, rules), true);
    out.change(new GuestProfileCreated(id, path, mode, rules));
    applied.put(id.uuid(), new HookRecord.Guest(id.name(), mode, rules));
    reloadIfNeeded(id, path);
  }

  private void prune(GuestId id, HostFile file) {
    out.delete(file);
    Optional<Path> files = Optional.empty();
    if (snap.filesLists().contains(id.uuid())) {
      Path f = Path.of(file.path() + ".files");
      out.deleteUnread(f);
      files = Optional.of(f);
    }
    out.change(new GuestProfilePruned(id, file.path(), files));
  }

  private void update(GuestId id, Optional<GuestSpec> g, HostFile file) {
    String text = file.text().orElse("");
    List<String> rules = rulesOf(g);
    if (text.isEmpty()) {
      // libvirt regenerates a 0-byte profile from the template at the next start anyway.
      if (template.template().isPresent()) {
        Mode mode = modeOf(g, Mode.ENFORCE);
        applied.put(id.uuid(), new HookRecord.Guest(id.name(), mode, rules));
        out.write(file, render(id, mode, rules), true);
        out.change(new GuestProfileRegenerated(id, file.path(), "0-byte profile"));
        reloadIfNeeded(id, file.path());
      }
      return;
    }
    ProfileDocument doc;
    try {
      doc = ProfileDocument.parse(file.path().toString(), text);
    } catch (InvalidInputException e) {
      // Only this guest depends on its profile: the others still apply.
      out.fail(resource(id), e.diagnostics());
      return;
    }
    Mode current = doc.mode();
    Mode mode = modeOf(g, current);
    applied.put(id.uuid(), new HookRecord.Guest(id.name(), mode, rules));
    String after;
    if (spec.profiles() == ProfilesPolicy.RENDER && template.template().isPresent()) {
      after = render(id, mode, rules);
      if (!after.equals(text)) {
        out.change(new GuestProfileRegenerated(id, file.path(), "profiles: render"));
      }
    } else {
      ProfileDocument edited = doc;
      if (mode != current) {
        edited = edited.withMode(mode);
        out.change(new GuestModeChange(id, file.path(), current, mode));
      }
      List<String> before = edited.managedRules(id.profileName());
      if (!before.equals(rules)) {
        edited = edited.withManagedRules(id.profileName(), rules);
        out.change(RulesChange.guest(id, file.path(), before, rules));
      }
      after = edited.text();
    }
    if (out.write(file, after, true)) {
      reloadIfNeeded(id, file.path());
    }
  }

  /** How failures name a guest: as its change lines do. */
  private static String resource(GuestId id) {
    return "apparmor.guests." + id.uuid() + id.name().map(n -> " (" + n + ")").orElse("");
  }

  private void reloadIfNeeded(GuestId id, Path path) {
    if (reload.wants(kernel.enabled(), kernel.loadedProfiles().containsKey(id.profileName()))) {
      out.reload(new ProfileReload(id.profileName(), path));
    }
  }

  private Path pathOf(Uuid uuid) {
    return libvirtProfileDir.resolve(uuid.profileName());
  }

}
