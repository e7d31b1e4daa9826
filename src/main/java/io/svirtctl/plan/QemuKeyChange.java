package io.svirtctl.plan;

import io.svirtctl.qemuconf.QemuValue;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A qemu.conf key set, changed or unset. {@code duplicatesRemoved} counts later active
 * occurrences of the key that were dropped, since libvirt reads only the first.
 */
public record QemuKeyChange(
    Path path,
    String key,
    Optional<QemuValue> before,
    Optional<QemuValue> after,
    int duplicatesRemoved)
    implements Change {

  public QemuKeyChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (before.isEmpty() && after.isEmpty()) {
      throw new IllegalArgumentException("a qemu.conf change needs a before or an after value");
    }
  }

  @Override
  public Action action() {
    return Action.between(before.isPresent(), after.isPresent());
  }

  @Override
  public String resource() {
    return "qemu_conf." + key;
  }
}
