package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The shape of {@code apparmor:} as written. */
record AppArmorFileSpec(
    @JsonProperty("template")
        @JsonPropertyDescription("TEMPLATE.qemu: whole content, or header flags and a rules block.")
        TemplateFileSpec template,
    @JsonProperty("site_rules")
        @JsonPropertyDescription("Rules for every guest, through the local libvirt-qemu abstraction.")
        List<String> siteRules,
    @JsonProperty("guests") @JsonPropertyDescription("Guest profiles.") GuestsFileSpec guests,
    @JsonProperty("reload")
        @JsonPropertyDescription("auto: reload loaded profiles that changed; never; always.")
        ReloadPolicy reload) {}
