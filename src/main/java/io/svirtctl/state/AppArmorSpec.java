package io.svirtctl.state;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired AppArmor side of sVirt: the template, site rules for every guest, guest profiles
 * and when to reload.
 *
 * @param template empty when the template is not managed
 * @param siteRules empty when the site abstraction is not managed; present (maybe empty) when it is
 */
public record AppArmorSpec(
    Optional<TemplateSpec> template,
    Optional<List<String>> siteRules,
    GuestsSpec guests,
    ReloadPolicy reload) {

  public AppArmorSpec {
    Objects.requireNonNull(template, "template");
    siteRules = siteRules.map(List::copyOf);
    Objects.requireNonNull(guests, "guests");
    Objects.requireNonNull(reload, "reload");
  }

  /** Nothing managed: no template, no site rules, guests left alone, reload when needed. */
  public static AppArmorSpec unmanaged() {
    return new AppArmorSpec(Optional.empty(), Optional.empty(), GuestsSpec.unmanaged(), ReloadPolicy.AUTO);
  }
}
