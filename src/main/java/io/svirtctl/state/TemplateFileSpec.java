package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The shape of {@code apparmor.template:} as written. */
record TemplateFileSpec(
    @JsonProperty("content")
        @JsonPropertyDescription("The whole template file; excludes flags and rules.")
        String content,
    @JsonProperty("flags")
        @JsonPropertyDescription("Header flags of profile LIBVIRT_TEMPLATE (AppArmor 3.0.8 flags).")
        List<String> flags,
    @JsonProperty("rules")
        @JsonPropertyDescription("One AppArmor rule per item, each ending in ','.")
        List<String> rules) {}
