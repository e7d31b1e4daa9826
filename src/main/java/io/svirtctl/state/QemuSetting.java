package io.svirtctl.state;

import io.svirtctl.SourceLocation;
import io.svirtctl.qemuconf.QemuValue;
import java.util.Objects;
import java.util.Optional;

/**
 * One qemu.conf key of the desired state, typed through libvirt's catalog.
 *
 * @param value the value the key must have; empty means the key must not be set (YAML {@code
 *     null}), so libvirt's default applies
 * @param location where the key is written in the state file
 */
public record QemuSetting(String key, Optional<QemuValue> value, SourceLocation location) {

  public QemuSetting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(location, "location");
  }
}
