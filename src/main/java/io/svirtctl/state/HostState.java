package io.svirtctl.state;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The validated desired state of one host: what svirtctl must make true there. Built by {@link
 * StateLoader} from a {@code kind: Host} file or the merged entry of a {@code kind: Fleet} file.
 *
 * @param qemuConf the qemu.conf keys to manage, sorted by key
 */
public record HostState(
    String host, List<QemuSetting> qemuConf, AppArmorSpec apparmor, PolicySpec policy) {

  public HostState {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(apparmor, "apparmor");
    Objects.requireNonNull(policy, "policy");
    qemuConf =
        qemuConf.stream()
            .sorted(Comparator.comparing(QemuSetting::key))
            .toList();
  }
}
