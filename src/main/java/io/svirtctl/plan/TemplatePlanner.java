package io.svirtctl.plan;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.apparmor.SvirtTemplate;
import io.svirtctl.host.HostFile;
import io.svirtctl.state.TemplateSpec;
import java.util.List;
import java.util.Optional;

/**
 * Plans the sVirt template (TEMPLATE.qemu, or the legacy TEMPLATE the host has) and says what
 * the template will be after the run, since every new guest profile is made from it.
 */
final class TemplatePlanner {

  /** libvirt's template profile name (DESIGN.md §1). */
  static final String TEMPLATE_PROFILE = "LIBVIRT_TEMPLATE";

  /**
   * The template after the run, if the host has (or will have) one; {@code broken} says why the
   * host's template cannot be used (then every change made from it fails).
   */
  record Outcome(
      Optional<SvirtTemplate> template,
      List<String> rules,
      boolean headerChanged,
      List<Diagnostic> broken) {

    Outcome(Optional<SvirtTemplate> template, List<String> rules, boolean headerChanged) {
      this(template, rules, headerChanged, List.of());
    }

    /** The host's template does not decode or parse. */
    static Outcome broken(List<Diagnostic> why) {
      return new Outcome(Optional.empty(), List.of(), false, why);
    }

    static Outcome of(String name, Optional<String> text, boolean headerChanged) {
      if (text.isEmpty()) {
        return new Outcome(Optional.empty(), List.of(), headerChanged);
      }
      SvirtTemplate template = SvirtTemplate.parse(name, text.get());
      List<String> rules = ProfileDocument.parse(name, text.get()).managedRules(TEMPLATE_PROFILE);
      return new Outcome(Optional.of(template), rules, headerChanged);
    }
  }

  private TemplatePlanner() {}

  static Outcome plan(Optional<TemplateSpec> spec, HostFile file, PlanBuilder out) {
    String name = file.path().toString();
    Optional<String> current = file.text();
    if (spec.isEmpty()) {
      return Outcome.of(name, current, false);
    }
    TemplateSpec s = spec.get();
    if (s.content().isPresent()) {
      String after = s.content().get();
      Outcome outcome = Outcome.of(name, Optional.of(after), false);
      boolean changed = out.write(file, after, true);
      if (changed) {
        out.change(new TemplateContentChange(file.path(), file.exists()));
      }
      return new Outcome(outcome.template(), outcome.rules(), changed);
    }
    if (current.isEmpty()) {
      if (s.flags().isPresent() || s.rules().isPresent()) {
        throw new InvalidInputException(
            SourceLocation.ofFile(name),
            "the host has no sVirt template to set flags or rules on; give apparmor.template.content to create it");
      }
      return new Outcome(Optional.empty(), List.of(), false);
    }
    SvirtTemplate.parse(name, current.get());
    ProfileDocument doc = ProfileDocument.parse(name, current.get());
    boolean headerChanged = false;
    if (s.flags().isPresent()) {
      List<String> before = doc.flags(TEMPLATE_PROFILE);
      List<String> after = s.flags().get();
      if (!before.equals(after)) {
        doc = doc.withFlags(TEMPLATE_PROFILE, after);
        if (!doc.flags(TEMPLATE_PROFILE).equals(before)) {
          out.change(new TemplateFlagsChange(file.path(), before, doc.flags(TEMPLATE_PROFILE)));
          headerChanged = true;
        }
      }
    }
    if (s.rules().isPresent()) {
      List<String> before = doc.managedRules(TEMPLATE_PROFILE);
      List<String> after = s.rules().get();
      if (!before.equals(after)) {
        doc = doc.withManagedRules(TEMPLATE_PROFILE, after);
        out.change(RulesChange.template(file.path(), before, after));
      }
    }
    out.write(file, doc.text(), true);
    return Outcome.of(name, Optional.of(doc.text()), headerChanged);
  }
}
