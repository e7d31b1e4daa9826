package io.svirtctl.plan;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.qemuconf.QemuConfDocument;
import io.svirtctl.state.HostState;
import io.svirtctl.state.TemplateSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

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
   * qemu.conf its keys, the sVirt template its own change and every guest profile and the hook's
   * record, the site rules their change, a guest profile its guest, a domain XML the guests it may
   * describe and every prune. Not being UTF-8 counts as not parsing. A listed guest the host does
   * not define is a warning.
   */
  public static Plan plan(HostState desired, HostSnapshot snap, KernelStatus kernel) {
    PlanBuilder out = new PlanBuilder();
    List<Diagnostic> brokenConf = problems(snap, snap.qemuConf(),
        text -> QemuConfDocument.parse(snap.qemuConf().path().toString(), text));
    if (brokenConf.isEmpty()) {
      QemuConfPlanner.plan(desired.qemuConf(), snap.qemuConf(), snap.daemon().serviceName(), out);
    } else if (!desired.qemuConf().isEmpty()) {
      // Never rewritten when it does not parse: the keys wait, everything else still applies.
      out.fail("qemu_conf", brokenConf);
    } else {
      brokenConf.forEach(d -> out.warn(d + " (svirtctl manages none of its keys here)"));
    }
    HostFile templateFile = templateFile(snap);
    desired.warnings().forEach(w -> out.warn(w.toString()));
    Optional<TemplateSpec> templateSpec = desired.apparmor().template();
    List<Diagnostic> brokenTemplate = templateSpec.flatMap(TemplateSpec::content).isPresent()
        ? List.of()
        : brokenTemplate(snap);
    TemplatePlanner.Outcome template;
    if (brokenTemplate.isEmpty()) {
      template = TemplatePlanner.plan(templateSpec, templateFile, out);
    } else {
      // Never rewritten; every guest profile (its managed block starts with the template's
      // rules) and the hook's record fail with it, the rest still applies.
      if (templateSpec.isPresent()) {
        out.fail("apparmor.template", brokenTemplate);
      }
      template = TemplatePlanner.Outcome.broken(brokenTemplate);
    }
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
    if (template.template().isEmpty() && template.broken().isEmpty()) {
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

  /** The template the host's guests are made from: TEMPLATE.qemu, or the legacy TEMPLATE. */
  private static HostFile templateFile(HostSnapshot snap) {
    return snap.templateQemu().exists() || !snap.templateLegacy().exists()
        ? snap.templateQemu()
        : snap.templateLegacy();
  }

  /**
   * Why the host's sVirt template cannot be used (not UTF-8, or does not parse); empty when it
   * can, or when there is none. Nothing made from it is planned, and nothing compiles it.
   */
  public static List<Diagnostic> brokenTemplate(HostSnapshot snap) {
    HostFile file = templateFile(snap);
    if (!file.exists()) {
      return List.of();
    }
    return problems(snap, file,
        text -> TemplatePlanner.Outcome.of(file.path().toString(), Optional.of(text), false));
  }

  /** Why a host file cannot be used: it is not UTF-8, or {@code parse} refuses its text. */
  private static List<Diagnostic> problems(
      HostSnapshot snap, HostFile file, Consumer<String> parse) {
    Optional<Diagnostic> undecodable = snap.undecodable(file);
    if (undecodable.isPresent()) {
      return List.of(undecodable.get());
    }
    try {
      parse.accept(file.text().orElse(""));
      return List.of();
    } catch (InvalidInputException e) {
      return e.diagnostics();
    }
  }
}
