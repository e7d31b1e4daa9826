package io.svirtctl.plan;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.apparmor.RuleSnippet;
import io.svirtctl.host.DomainDefinition;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.qemuconf.KeyCatalog;
import io.svirtctl.qemuconf.KeySpec;
import io.svirtctl.qemuconf.QemuConfDocument;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.state.AppArmorSpec;
import io.svirtctl.state.GuestRef;
import io.svirtctl.state.GuestSpec;
import io.svirtctl.state.GuestsSpec;
import io.svirtctl.state.HostState;
import io.svirtctl.state.PolicySpec;
import io.svirtctl.state.ProfilesPolicy;
import io.svirtctl.state.QemuSetting;
import io.svirtctl.state.ReloadPolicy;
import io.svirtctl.state.TemplateSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host as it is, as a desired state: applying the export on the same host plans no change.
 *
 * <p>So that holds, it leaves out what svirtctl would have to change to express: qemu.conf keys
 * the catalog does not know, set more than once, or with values libvirt refuses; guests without
 * a profile, or whose managed block lacks the template's managed rules (they are not listed and no
 * default mode is set, so they stay as they are). An
 * installed libvirt hook is exported as {@code hook: true}, so applying the export keeps it.
 */
public final class Exporter {

  private Exporter() {}

  public static HostState export(HostSnapshot snap, String host) {
    if (!snap.undecodableFiles().isEmpty()) {
      // Exporting a lossy decoding would declare text the host does not have.
      throw new InvalidInputException(List.copyOf(snap.undecodableFiles().values()));
    }
    List<QemuSetting> qemu = new ArrayList<>();
    String confName = snap.qemuConf().path().toString();
    if (snap.qemuConf().text().isPresent()) {
      QemuConfDocument doc = QemuConfDocument.parse(confName, snap.qemuConf().text().get());
      for (String key : doc.keys()) {
        Optional<KeySpec> spec = KeyCatalog.libvirt().find(key);
        Optional<QemuValue> value = doc.get(key);
        if (spec.isPresent() && value.isPresent() && doc.occurrences(key) == 1
            && spec.get().check(value.get()).isEmpty()) {
          qemu.add(new QemuSetting(key, value, SourceLocation.ofFile(confName)));
        }
      }
    }
    qemu.sort((a, b) -> a.key().compareTo(b.key()));

    HostFile templateFile =
        snap.templateQemu().exists() || !snap.templateLegacy().exists()
            ? snap.templateQemu()
            : snap.templateLegacy();
    Optional<TemplateSpec> template = Optional.empty();
    List<String> templateRules = List.of();
    if (templateFile.text().isPresent()) {
      ProfileDocument t = ProfileDocument.parse(templateFile.path().toString(), templateFile.text().get());
      templateRules = t.managedRules(TemplatePlanner.TEMPLATE_PROFILE);
      template =
          Optional.of(
              new TemplateSpec(
                  Optional.empty(),
                  Optional.of(t.flags(TemplatePlanner.TEMPLATE_PROFILE)),
                  Optional.of(templateRules)));
    }

    HostFile site = snap.siteRulesDropInDir() ? snap.siteRulesDropIn() : snap.siteRulesLocal();
    Optional<List<String>> siteRules =
        site.text().map(RuleSnippet::managedRules).filter(r -> !r.isEmpty());

    Map<Uuid, String> names = new HashMap<>();
    for (DomainDefinition d : snap.guests()) {
      names.put(d.uuid(), d.name());
    }
    // The hook's record keeps the default mode of the last apply; without it, exporting none
    // would change the record the hook restores from.
    Optional<Mode> defaultMode =
        snap.qemuHook().exists() && snap.hookRecord().text().isPresent()
            ? HookRecord.parse(snap.hookRecord().text().get(), snap.hookRecord().path().toString())
                .defaultMode()
            : Optional.empty();
    List<GuestSpec> guests = new ArrayList<>();
    for (Map.Entry<Uuid, HostFile> e : snap.guestProfiles().entrySet()) {
      String text = e.getValue().text().orElse("");
      if (text.isEmpty()) {
        continue;
      }
      ProfileDocument doc = ProfileDocument.parse(e.getValue().path().toString(), text);
      List<String> rules = new ArrayList<>(doc.managedRules(e.getKey().profileName()));
      if (rules.size() < templateRules.size()
          || !rules.subList(0, templateRules.size()).equals(templateRules)) {
        // A listed guest's block always starts with the template's rules; one without them
        // cannot be expressed, so it stays unlisted (and untouched).
        continue;
      }
      rules = new ArrayList<>(rules.subList(templateRules.size(), rules.size()));
      GuestRef ref =
          names.containsKey(e.getKey())
              ? new GuestRef.ByName(names.get(e.getKey()))
              : new GuestRef.ByUuid(e.getKey());
      guests.add(
          new GuestSpec(
              ref,
              Optional.of(doc.mode()),
              rules.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(rules)),
              SourceLocation.ofFile(e.getValue().path().toString())));
    }
    GuestsSpec guestsSpec =
        new GuestsSpec(defaultMode, ProfilesPolicy.ADOPT, false, snap.qemuHook().exists(), guests);
    return new HostState(
        host,
        qemu,
        new AppArmorSpec(template, siteRules, guestsSpec, ReloadPolicy.AUTO),
        new PolicySpec(
            qemu.stream().anyMatch(Exporter::isUnconfined)
                || template.flatMap(TemplateSpec::flags).orElse(List.of()).contains(Mode.UNCONFINED.label())
                || defaultMode.equals(Optional.of(Mode.UNCONFINED))
                || guests.stream().anyMatch(g -> g.mode().equals(Optional.of(Mode.UNCONFINED)))));
  }

  /** Whether a qemu.conf setting is one the unconfined policy refuses (so the export allows it). */
  private static boolean isUnconfined(QemuSetting s) {
    if (s.key().equals("security_default_confined")) {
      return s.value().equals(Optional.of(QemuValue.Int.of(0)));
    }
    return s.key().equals("security_driver")
        && s.value().map(v -> v.equals(new QemuValue.Str("none"))
            || v.equals(QemuValue.Lst.ofStrings(List.of("none")))).orElse(false);
  }
}
