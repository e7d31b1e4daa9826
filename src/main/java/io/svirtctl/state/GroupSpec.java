package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The shape of a Fleet group: host globs and the state they get. */
record GroupSpec(
    @JsonProperty(value = "hosts", required = true)
        @JsonPropertyDescription("Host name globs (*, ?, [abc]) this group applies to.")
        List<String> hosts,
    @JsonProperty("qemu_conf") @JsonPropertyDescription(BodySpec.QEMU_CONF) QemuConfSpec qemuConf,
    @JsonProperty("apparmor") @JsonPropertyDescription(BodySpec.APPARMOR) AppArmorFileSpec apparmor,
    @JsonProperty("policy") @JsonPropertyDescription(BodySpec.POLICY) PolicyFileSpec policy) {}
