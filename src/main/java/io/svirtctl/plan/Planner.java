package io.svirtctl.plan;

import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.state.HostState;
import java.nio.file.Path;
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
   * @throws io.svirtctl.InvalidInputException when a host file cannot be parsed (a listed guest
   *     the host does not define is a warning, not an error)
   */
  public static Plan plan(HostState desired, HostSnapshot snap, KernelStatus kernel) {
    PlanBuilder out = new PlanBuilder();
    QemuConfPlanner.plan(desired.qemuConf(), snap.qemuConf(), snap.daemon().serviceName(), out);
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
}
