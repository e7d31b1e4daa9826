package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code svirtctl status} reports about one host: every guest, then the host's confinement
 * settings. Built by {@link StatusModel} from a snapshot; renderers only format it.
 *
 * @param host the host's name (the state's, or the one given)
 * @param declared true when a desired state was given, so each guest says whether it is in sync
 * @param guests named guests by name, then unnamed ones by UUID
 * @param securityDriver qemu.conf's {@code security_driver} as a list; empty when unset (libvirt
 *     then probes selinux, then apparmor)
 * @param defaultConfined {@code security_default_confined} in effect (libvirt's default: true)
 * @param requireConfined {@code security_require_confined} in effect (libvirt's default: false)
 * @param template the sVirt template file the host uses
 * @param templatePresent whether that file exists
 * @param templateRules the managed rules of the template
 * @param siteRulesFile where the site rules live on this host
 * @param siteRules how many managed site rules it holds
 * @param hookInstalled whether svirtctl's libvirt qemu hook is installed
 * @param confined doctor finds no error: sVirt AppArmor confinement is in force
 * @param lastRun the newest journaled run
 * @param warnings what the operator should know (unreadable files, absent listed guests)
 */
public record HostStatus(
    String host,
    boolean declared,
    List<GuestStatus> guests,
    Optional<List<String>> securityDriver,
    boolean defaultConfined,
    boolean requireConfined,
    Path template,
    boolean templatePresent,
    int templateRules,
    Path siteRulesFile,
    int siteRules,
    boolean hookInstalled,
    boolean confined,
    Optional<LastRun> lastRun,
    List<String> warnings) {

  public HostStatus {
    Objects.requireNonNull(host, "host");
    guests = List.copyOf(guests);
    securityDriver = securityDriver.map(List::copyOf);
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(siteRulesFile, "siteRulesFile");
    Objects.requireNonNull(lastRun, "lastRun");
    warnings = List.copyOf(warnings);
  }

  /** How many guests run while their profile does not confine them (not loaded, or unconfined). */
  public long unconfinedRunning() {
    return guests.stream()
        .filter(GuestStatus::running)
        .filter(g -> g.loadedMode().map(m -> m.equals("unconfined")).orElse(true))
        .count();
  }
}
