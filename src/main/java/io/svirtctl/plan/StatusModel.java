package io.svirtctl.plan;

import io.svirtctl.InvalidInputException;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.apparmor.RuleSnippet;
import io.svirtctl.host.DomainDefinition;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.RunningDomain;
import io.svirtctl.qemuconf.QemuConfDocument;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.state.HostState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Builds a {@link HostStatus} from a snapshot, the kernel's status and, when given, a desired
 * state: pure, like the planner it asks which guests a run would change.
 *
 * <p>A file that cannot be parsed does not stop the report: the guest or setting it concerns is
 * shown without the value, and a warning names the file and position.
 */
public final class StatusModel {

  private static final String PROFILE_PREFIX = "libvirt-";

  private StatusModel() {}

  /**
   * The status of one host.
   *
   * @param desired the declared state, to say per guest whether it is in sync
   * @param host the host's name when no state is given
   * @param confined whether doctor finds confinement in force
   */
  public static HostStatus build(
      HostSnapshot snap,
      KernelStatus kernel,
      Optional<HostState> desired,
      String host,
      boolean confined,
      Optional<LastRun> lastRun) {
    List<String> warnings = new ArrayList<>();
    Optional<Set<Uuid>> drifted = Optional.empty();
    if (desired.isPresent()) {
      Plan plan = Planner.plan(desired.get(), snap, kernel);
      drifted = Optional.of(changedGuests(plan));
      warnings.addAll(plan.warnings());
      plan.failures().forEach(f -> warnings.add(f.toString()));
    }
    List<GuestStatus> guests = guests(snap, kernel, drifted, warnings);

    if (desired.isEmpty()) {
      snap.undecodableFiles().values().forEach(d -> warnings.add(d.toString()));
    }
    Optional<QemuConfDocument> conf = snap.undecodable(snap.qemuConf()).isPresent()
        ? Optional.empty()
        : qemuConf(snap.qemuConf(), warnings);
    Optional<List<String>> driver =
        conf.flatMap(c -> c.get("security_driver")).map(StatusModel::strings);
    boolean defaultConfined = flag(conf, "security_default_confined", true);
    boolean requireConfined = flag(conf, "security_require_confined", false);

    HostFile template =
        snap.templateQemu().exists() || !snap.templateLegacy().exists()
            ? snap.templateQemu()
            : snap.templateLegacy();
    int templateRules = 0;
    if (template.text().isPresent()) {
      templateRules =
          managedRules(template, TemplatePlanner.TEMPLATE_PROFILE, warnings).orElse(0);
    }
    HostFile site = snap.siteRulesDropInDir() ? snap.siteRulesDropIn() : snap.siteRulesLocal();
    int siteRules = site.text().map(RuleSnippet::managedRules).map(List::size).orElse(0);

    return new HostStatus(
        desired.map(HostState::host).orElse(host),
        desired.isPresent(),
        guests,
        driver,
        defaultConfined,
        requireConfined,
        template.path(),
        template.exists(),
        templateRules,
        site.path(),
        siteRules,
        snap.qemuHook().exists(),
        confined,
        lastRun,
        warnings);
  }

  private static List<GuestStatus> guests(
      HostSnapshot snap,
      KernelStatus kernel,
      Optional<Set<Uuid>> drifted,
      List<String> warnings) {
    Map<Uuid, String> names = new HashMap<>();
    Set<Uuid> persistent = new HashSet<>();
    for (DomainDefinition d : snap.domains()) {
      names.put(d.uuid(), d.name());
      persistent.add(d.uuid());
    }
    Set<Uuid> running = new HashSet<>();
    for (RunningDomain r : snap.running()) {
      // A transient guest's only name is in its status XML.
      names.putIfAbsent(r.domain().uuid(), r.domain().name());
      running.add(r.domain().uuid());
    }
    SortedSet<Uuid> known = new TreeSet<>(names.keySet());
    known.addAll(snap.guestProfiles().keySet());
    known.addAll(snap.undecodableProfiles().keySet());
    for (String loaded : kernel.loadedProfiles().keySet()) {
      if (loaded.startsWith(PROFILE_PREFIX)) {
        Uuid.parse(loaded.substring(PROFILE_PREFIX.length()))
            .filter(u -> u.profileName().equals(loaded))
            .ifPresent(known::add);
      }
    }
    List<GuestStatus> out = new ArrayList<>(known.size());
    for (Uuid uuid : known) {
      Optional<String> name = Optional.ofNullable(names.get(uuid));
      GuestState state = stateOf(persistent.contains(uuid), running.contains(uuid));
      Optional<Mode> mode = Optional.empty();
      int rules = 0;
      Optional<String> problem = Optional.empty();
      HostFile file = snap.guestProfiles().get(uuid);
      if (snap.undecodableProfiles().containsKey(uuid)) {
        problem = Optional.of(snap.undecodableProfiles().get(uuid).toString());
        warnings.add("guest " + uuid + ": " + problem.get());
      }
      if (file != null && !file.text().orElse("").isEmpty()) {
        try {
          ProfileDocument doc = ProfileDocument.parse(file.path().toString(), file.text().get());
          mode = Optional.of(doc.mode());
          rules = doc.managedRules(uuid.profileName()).size();
        } catch (InvalidInputException e) {
          problem = Optional.of(e.getMessage());
          warnings.add("guest " + uuid + ": " + e.getMessage());
        }
      }
      out.add(
          new GuestStatus(
              uuid,
              name,
              state,
              mode,
              kernel.modeOf(uuid.profileName()),
              rules,
              drifted.map(d -> !d.contains(uuid)),
              problem));
    }
    // Named guests by name, then the rest by UUID: the order an operator scans a table in.
    out.sort(
        Comparator.comparing((GuestStatus g) -> g.name().isEmpty())
            .thenComparing(g -> g.name().orElse(""))
            .thenComparing(GuestStatus::uuid));
    return out;
  }

  private static GuestState stateOf(boolean persistent, boolean running) {
    if (running) {
      return persistent ? GuestState.RUNNING : GuestState.TRANSIENT;
    }
    return persistent ? GuestState.DEFINED : GuestState.PROFILE_ONLY;
  }

  /** The guests a plan changes. */
  private static Set<Uuid> changedGuests(Plan plan) {
    Set<Uuid> out = new HashSet<>();
    for (Change c : plan.changes()) {
      guestOf(c).ifPresent(g -> out.add(g.uuid()));
    }
    return out;
  }

  private static Optional<GuestId> guestOf(Change c) {
    if (c instanceof GuestModeChange m) {
      return Optional.of(m.guest());
    } else if (c instanceof RulesChange r) {
      return r.guest();
    } else if (c instanceof GuestProfileCreated p) {
      return Optional.of(p.guest());
    } else if (c instanceof GuestProfileRegenerated p) {
      return Optional.of(p.guest());
    } else if (c instanceof GuestProfilePruned p) {
      return Optional.of(p.guest());
    }
    return Optional.empty();
  }

  private static Optional<QemuConfDocument> qemuConf(HostFile file, List<String> warnings) {
    if (file.text().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(QemuConfDocument.parse(file.path().toString(), file.text().get()));
    } catch (InvalidInputException e) {
      warnings.add(e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Integer> managedRules(
      HostFile file, String profile, List<String> warnings) {
    try {
      return Optional.of(
          ProfileDocument.parse(file.path().toString(), file.text().orElseThrow())
              .managedRules(profile)
              .size());
    } catch (InvalidInputException e) {
      warnings.add(e.getMessage());
      return Optional.empty();
    }
  }

  /** libvirt's booleans are the integers 0 and 1; anything else leaves its default. */
  private static boolean flag(Optional<QemuConfDocument> conf, String key, boolean fallback) {
    Optional<QemuValue> v = conf.flatMap(c -> c.get(key));
    if (v.isPresent() && v.get() instanceof QemuValue.Int i && !i.signed()) {
      if (i.value().equals(BigInteger.ONE)) {
        return true;
      }
      if (i.value().equals(BigInteger.ZERO)) {
        return false;
      }
    }
    return fallback;
  }

  private static List<String> strings(QemuValue value) {
    if (value instanceof QemuValue.Str s) {
      return List.of(s.value());
    }
    if (value instanceof QemuValue.Lst l) {
      return l.items().stream().map(i -> i instanceof QemuValue.Str s ? s.value() : i.render()).toList();
    }
    return List.of(value.render());
  }
}
