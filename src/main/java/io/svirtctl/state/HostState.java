package io.svirtctl.state;

import io.svirtctl.Diagnostic;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The validated desired state of one host: what svirtctl must make true there. Built by {@link
 * StateLoader} from a {@code kind: Host} file or the merged entry of a {@code kind: Fleet} file.
 *
 * @param qemuConf the qemu.conf keys to manage, sorted by key
 * @param warnings what the state file declares that is valid but probably not meant (a rule
 *     declared twice), sorted by position
 */
public record HostState(
    String host,
    List<QemuSetting> qemuConf,
    AppArmorSpec apparmor,
    PolicySpec policy,
    List<Diagnostic> warnings,
    List<RuleOrigin> ruleOrigins) {

  /** A state without warnings. */
  public HostState(String host, List<QemuSetting> qemuConf, AppArmorSpec apparmor, PolicySpec policy) {
    this(host, qemuConf, apparmor, policy, List.of());
  }

  /** A state whose rules' positions are not known (not read from a file). */
  public HostState(
      String host, List<QemuSetting> qemuConf, AppArmorSpec apparmor, PolicySpec policy,
      List<Diagnostic> warnings) {
    this(host, qemuConf, apparmor, policy, warnings, List.of());
  }

  public HostState {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(apparmor, "apparmor");
    Objects.requireNonNull(policy, "policy");
    qemuConf =
        qemuConf.stream()
            .sorted(Comparator.comparing(QemuSetting::key))
            .toList();
    warnings = warnings.stream().sorted().toList();
    ruleOrigins = List.copyOf(ruleOrigins);
  }
}
