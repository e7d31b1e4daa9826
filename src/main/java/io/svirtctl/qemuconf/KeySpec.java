package io.svirtctl.qemuconf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One qemu.conf key of the catalog: its name, the type libvirt reads it as, and, where libvirt
 * restricts them, the allowed string values.
 *
 * @param allowed the only strings libvirt accepts (for a string, or each element of a list);
 *     empty when any string is accepted
 * @param obsolete true for keys libvirt still parses but ignores
 */
public record KeySpec(String name, ValueType type, List<String> allowed, boolean obsolete) {

  public KeySpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    allowed = List.copyOf(allowed);
  }

  /** A key accepting any value of its type. */
  public static KeySpec of(String name, ValueType type) {
    return new KeySpec(name, type, List.of(), false);
  }

  /** Why {@code value} is not acceptable for this key, as libvirt would say it; empty if it is. */
  public Optional<String> check(QemuValue value) {
    return KeyRules.check(this, value);
  }
}
