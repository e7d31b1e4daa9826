package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * The shape of a state file as written, for the JSON Schema and the list of valid top-level keys.
 * {@code kind: Host} uses {@code qemu_conf}, {@code apparmor} and {@code policy}; {@code kind:
 * Fleet} uses {@code defaults}, {@code groups} and {@code hosts}.
 */
record StateFileSpec(
    @JsonProperty(value = "apiVersion", required = true)
        @JsonPropertyDescription("Always svirtctl/v1.")
        String apiVersion,
    @JsonProperty(value = "kind", required = true)
        @JsonPropertyDescription("Host: this file is one host's state. Fleet: defaults, groups and hosts.")
        StateKind kind,
    @JsonProperty("qemu_conf") @JsonPropertyDescription(BodySpec.QEMU_CONF) QemuConfSpec qemuConf,
    @JsonProperty("apparmor") @JsonPropertyDescription(BodySpec.APPARMOR) AppArmorFileSpec apparmor,
    @JsonProperty("policy") @JsonPropertyDescription(BodySpec.POLICY) PolicyFileSpec policy,
    @JsonProperty("defaults") @JsonPropertyDescription("Fleet: the state every host starts from.")
        BodySpec defaults,
    @JsonProperty("groups")
        @JsonPropertyDescription("Fleet: applied in order to the hosts their globs match.")
        List<GroupSpec> groups,
    @JsonProperty("hosts")
        @JsonPropertyDescription("Fleet: per-host state by host name, applied last.")
        Map<String, BodySpec> hosts) {}
