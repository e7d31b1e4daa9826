package io.svirtctl.plan;

import io.svirtctl.InvalidInputException;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.qemuconf.QemuConfDocument;
import io.svirtctl.state.HostState;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pure planner: desired state x host snapshot to a {@link Plan}. Every decision of a run is
 * made here; it reads and writes nothing.
 */
public final class Planner {

  private Planner() {}

  /**
   * Plans one host.
   *
   * <p>A host file that cannot be parsed fails only what depends on it ({@link Plan#failures()}):
   * qemu.conf its keys, a guest profile its guest, a domain XML the guests it may describe and
   * every prune. A listed guest the host does not define is a warning.
   *
   * @throws io.svirtctl.InvalidInputException when the template or site rules cannot be parsed,
   *     on which every guest depends
   */
  public static Plan plan(HostState desired, HostSnapshot snap, KernelStatus kernel) {
    PlanBuilder out = new PlanBuilder();
    Optional<InvalidInputException> brokenConf = unparsable(snap.qemuConf());
    if (brokenConf.isEmpty()) {
      QemuConfPlanner.plan(desired.qemuConf(), snap.qemuConf(), snap.daemon().serviceName(), out);
    } else if (!desired.qemuConf().isEmpty()) {
      // Never rewritten when it does not parse: the keys wait, everything else still applies.
      out.fail("qemu_conf", brokenConf.get().diagnostics());
    } else {
      out.warn(brokenConf.get().getMessage() + " (svirtctl manages none of its keys here)");
    }
    HostFile templateFile = snap.templateQemu().exists() || !snap.templateLegacy().exists()
        ? snap.templateQemu()
        : snap.templateLegacy();
    desired.warnings().forEach(w -> out.warn(w.toString()));
    TemplatePlanner.Outcome template =
        TemplatePlanner.plan(desired.apparmor().template(), templateFile, out);
    SiteRulesPlanner.plan(
        desired.apparmor().siteRules(), snap, kernel, desired.apparmor().reload(), out);
    GuestPlanner guests =
        new GuestPlanner(
            snap,
            kernel,
            desired.apparmor().guests(),
            desired.apparmor().reload(),
            template,
            out);
    guests.plan();
    HookPlanner.plan(desired.apparmor().guests(), snap, template, guests.applied(), out);
    if (!snap.templateLxc().exists()) {
      out.warn(
          snap.templateLxc().path()
              + " is missing: libvirt 10 and older then disable AppArmor confinement for every guest");
    }
    if (template.template().isEmpty()) {
      out.warn(
          templateFile.path()
              + " is missing: libvirt 10 and older then disable AppArmor confinement for every guest");
    }
    TreeMap<Path, Fingerprint> inputs = new TreeMap<>();
    for (HostFile f : snap.files()) {
      inputs.put(f.path(), f.fingerprint());
    }
    return out.build(desired.host(), inputs);
  }

  /** Why qemu.conf does not parse, if it does not. */
  private static Optional<InvalidInputException> unparsable(HostFile conf) {
    try {
      QemuConfDocument.parse(conf.path().toString(), conf.text().orElse(""));
      return Optional.empty();
    } catch (InvalidInputException e) {
      return Optional.of(e);
    }
  }
}
