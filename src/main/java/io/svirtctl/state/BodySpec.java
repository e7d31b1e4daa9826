package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The shape of one host's state as written: in a Host file, or a Fleet's defaults or hosts. */
record BodySpec(
    @JsonProperty("qemu_conf") @JsonPropertyDescription(QEMU_CONF) QemuConfSpec qemuConf,
    @JsonProperty("apparmor") @JsonPropertyDescription(APPARMOR) AppArmorFileSpec apparmor,
    @JsonProperty("policy") @JsonPropertyDescription(POLICY) PolicyFileSpec policy) {

  static final String QEMU_CONF =
      "qemu.conf keys by libvirt's own names; null = ensure the key is not set.";
  static final String APPARMOR = "The sVirt template, site rules and guest profiles.";
  static final String POLICY = "Guard rails that must be opted out of explicitly.";
}
