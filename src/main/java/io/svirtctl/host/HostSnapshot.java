package io.svirtctl.host;

import io.svirtctl.Diagnostic;
import io.svirtctl.Uuid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything svirtctl reads from one host before planning: each managed file with its fingerprint,
 * which guests have a libvirt-generated {@code .files} list, the guests libvirt defines, and which
 * daemon runs the QEMU driver.
 *
 * @param qemuConf the QEMU driver configuration
 * @param templateQemu {@code libvirt/TEMPLATE.qemu}
 * @param templateLegacy {@code libvirt/TEMPLATE}, the single template of old hosts
 * @param templateLxc {@code libvirt/TEMPLATE.lxc} (libvirt ≤ 10 disables AppArmor without it)
 * @param guestProfiles every {@code libvirt/libvirt-<uuid>} file, by UUID
 * @param filesLists the UUIDs that have a {@code libvirt/libvirt-<uuid>.files} (never read)
 * @param siteRulesLocal {@code local/abstractions/libvirt-qemu}, the Debian-style include
 * @param siteRulesDropInDir whether {@code abstractions/libvirt-qemu.d/} exists (libvirt ≥ 9.6)
 * @param siteRulesDropIn svirtctl's file in that directory
 * @param libvirtdProfile {@code usr.sbin.libvirtd}, the daemon's own profile
 * @param domains the persistent domain XML definitions, sorted by UUID
 * @param daemon the daemon to restart after a qemu.conf change
 * @param qemuHook svirtctl's libvirt qemu hook script
 * @param hookRecord the record the hook restores guest profiles from (in the state directory)
 * @param running the guests libvirt runs now (status XML), transient ones included, by UUID
 * @param hookActivation what decides whether libvirt runs svirtctl's qemu hook
 * @param domainProblems the domain and status XML files that could not be used (their guests are
 *     unknown; definitions involved in a duplicate are left out of {@code domains})
 * @param undecodableProfiles the guest profiles that are not valid UTF-8, by UUID, with where
 *     (left out of {@code guestProfiles}: only their guests fail)
 * @param undecodableFiles qemu.conf, the templates and the site-rules files that are not valid
 *     UTF-8, by path, with where: their {@link HostFile} holds a lossy decoding and the fingerprint
 *     of the real bytes, so they are never written and only what depends on them fails
 */
public record HostSnapshot(
    HostFile qemuConf,
    HostFile templateQemu,
    HostFile templateLegacy,
    HostFile templateLxc,
    SortedMap<Uuid, HostFile> guestProfiles,
    SortedSet<Uuid> filesLists,
    HostFile siteRulesLocal,
    boolean siteRulesDropInDir,
    HostFile siteRulesDropIn,
    HostFile libvirtdProfile,
    List<DomainDefinition> domains,
    Daemon daemon,
    HostFile qemuHook,
    HostFile hookRecord,
    List<RunningDomain> running,
    HookActivation hookActivation,
    List<DomainProblem> domainProblems,
    SortedMap<Uuid, Diagnostic> undecodableProfiles,
    SortedMap<Path, Diagnostic> undecodableFiles) {

  /** A snapshot whose domain and status XML all parsed. */
  public HostSnapshot(
      HostFile qemuConf,
      HostFile templateQemu,
      HostFile templateLegacy,
      HostFile templateLxc,
      SortedMap<Uuid, HostFile> guestProfiles,
      SortedSet<Uuid> filesLists,
      HostFile siteRulesLocal,
      boolean siteRulesDropInDir,
      HostFile siteRulesDropIn,
      HostFile libvirtdProfile,
      List<DomainDefinition> domains,
      Daemon daemon,
      HostFile qemuHook,
      HostFile hookRecord,
      List<RunningDomain> running,
      HookActivation hookActivation) {
    this(qemuConf, templateQemu, templateLegacy, templateLxc, guestProfiles, filesLists,
        siteRulesLocal, siteRulesDropInDir, siteRulesDropIn, libvirtdProfile, domains, daemon,
        qemuHook, hookRecord, running, hookActivation, List.of(), new TreeMap<>(), new TreeMap<>());
  }

  /** A snapshot of a host that runs no guest, with no facts about libvirt's hooks (in memory). */
  public HostSnapshot(
      HostFile qemuConf,
      HostFile templateQemu,
      HostFile templateLegacy,
      HostFile templateLxc,
      SortedMap<Uuid, HostFile> guestProfiles,
      SortedSet<Uuid> filesLists,
      HostFile siteRulesLocal,
      boolean siteRulesDropInDir,
      HostFile siteRulesDropIn,
      HostFile libvirtdProfile,
      List<DomainDefinition> domains,
      Daemon daemon,
      HostFile qemuHook,
      HostFile hookRecord) {
    this(qemuConf, templateQemu, templateLegacy, templateLxc, guestProfiles, filesLists,
        siteRulesLocal, siteRulesDropInDir, siteRulesDropIn, libvirtdProfile, domains, daemon,
        qemuHook, hookRecord, List.of(), HookActivation.none());
  }

  public HostSnapshot {
    Objects.requireNonNull(qemuConf, "qemuConf");
    Objects.requireNonNull(templateQemu, "templateQemu");
    Objects.requireNonNull(templateLegacy, "templateLegacy");
    Objects.requireNonNull(templateLxc, "templateLxc");
    guestProfiles = Collections.unmodifiableSortedMap(new TreeMap<>(guestProfiles));
    filesLists = Collections.unmodifiableSortedSet(new TreeSet<>(filesLists));
    Objects.requireNonNull(siteRulesLocal, "siteRulesLocal");
    Objects.requireNonNull(siteRulesDropIn, "siteRulesDropIn");
    Objects.requireNonNull(libvirtdProfile, "libvirtdProfile");
    domains = List.copyOf(domains);
    Objects.requireNonNull(daemon, "daemon");
    Objects.requireNonNull(qemuHook, "qemuHook");
    Objects.requireNonNull(hookRecord, "hookRecord");
    running = List.copyOf(running);
    Objects.requireNonNull(hookActivation, "hookActivation");
    domainProblems = List.copyOf(domainProblems);
    undecodableProfiles = Collections.unmodifiableSortedMap(new TreeMap<>(undecodableProfiles));
    undecodableFiles = Collections.unmodifiableSortedMap(new TreeMap<>(undecodableFiles));
  }

  /** Where {@code file} is not valid UTF-8, if it is one of the {@code undecodableFiles}. */
  public Optional<Diagnostic> undecodable(HostFile file) {
    return Optional.ofNullable(undecodableFiles.get(file.path()));
  }

  /**
   * Every guest the host has a definition of: the persistent domains, then the transient ones
   * (running, with no persistent XML), sorted by UUID. A guest's name is its persistent one.
   */
  public List<DomainDefinition> guests() {
    SortedMap<Uuid, DomainDefinition> all = new TreeMap<>();
    for (DomainDefinition d : domains) {
      all.put(d.uuid(), d);
    }
    for (RunningDomain r : running) {
      all.putIfAbsent(r.domain().uuid(), r.domain());
    }
    return List.copyOf(all.values());
  }

  /** The running guest of this UUID, when libvirt has its status XML. */
  public Optional<RunningDomain> runningGuest(Uuid uuid) {
    return running.stream().filter(r -> r.domain().uuid().equals(uuid)).findFirst();
  }

  /**
   * Every file of the snapshot, present or absent, in a stable order: the fixed files, then the
   * guest profiles by UUID. Apply re-reads each and compares fingerprints.
   */
  public List<HostFile> files() {
    List<HostFile> all = new ArrayList<>(9 + guestProfiles.size());
    all.add(qemuConf);
    all.add(templateQemu);
    all.add(templateLegacy);
    all.add(templateLxc);
    all.add(siteRulesLocal);
    all.add(siteRulesDropIn);
    all.add(libvirtdProfile);
    all.add(qemuHook);
    all.add(hookRecord);
    all.addAll(guestProfiles.values());
    return List.copyOf(all);
  }
}
