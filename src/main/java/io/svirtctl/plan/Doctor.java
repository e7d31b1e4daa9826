package io.svirtctl.plan;

import io.svirtctl.InvalidInputException;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.host.DomainDefinition;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.qemuconf.QemuConfDocument;
import io.svirtctl.qemuconf.QemuValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers "is sVirt AppArmor confinement actually in force on this host, and if not, why": a
 * pure diagnosis of a snapshot and the kernel's status, each finding with its fix.
 */
public final class Doctor {

  /** The profile name of the libvirt daemon's own profile. */
  static final String LIBVIRTD_PROFILE = "libvirtd";

  private Doctor() {}

  public static List<Finding> examine(HostSnapshot snap, KernelStatus kernel) {
    List<Finding> out = new ArrayList<>();
    if (kernel.enabled()) {
      out.add(Finding.ok("apparmor.enabled", "AppArmor is enabled in the kernel"));
    } else {
      out.add(Finding.of("apparmor.enabled", Severity.ERROR,
          "AppArmor is not enabled in the kernel: libvirt cannot confine any guest with it",
          "boot with apparmor=1 security=apparmor and install the apparmor package"));
    }
    effectiveDriver(snap, kernel, out);
    if (snap.libvirtdProfile().exists()) {
      out.add(Finding.ok("libvirtd.profile", snap.libvirtdProfile().path() + " is present"));
    } else {
      out.add(Finding.of("libvirtd.profile", Severity.WARNING,
          snap.libvirtdProfile().path() + " is missing: the libvirt daemon runs unconfined",
          "reinstall the package that ships the libvirt AppArmor profiles"));
    }
    if (kernel.enabled() && snap.libvirtdProfile().exists()) {
      if (kernel.loadedProfiles().containsKey(LIBVIRTD_PROFILE)) {
        out.add(Finding.ok("libvirtd.loaded", "profile libvirtd is loaded ("
            + kernel.loadedProfiles().get(LIBVIRTD_PROFILE) + ")"));
      } else {
        out.add(Finding.of("libvirtd.loaded", Severity.ERROR,
            "profile libvirtd is not loaded: libvirt does not use AppArmor for guests without it",
            "apparmor_parser -r " + snap.libvirtdProfile().path() + " and restart libvirtd"));
      }
    }
    template(out, snap.templateQemu().exists() || snap.templateLegacy().exists(),
        "template.qemu", snap.templateQemu());
    template(out, snap.templateLxc().exists(), "template.lxc", snap.templateLxc());
    guests(snap, kernel, out);
    out.addAll(HookActivity.examine(snap));
    return out;
  }

  private static void template(List<Finding> out, boolean exists, String check, HostFile file) {
    if (exists) {
      out.add(Finding.ok(check, file.path() + " is present"));
    } else {
      out.add(Finding.of(check, Severity.ERROR,
          file.path() + " is missing: libvirt 10 and older disable AppArmor confinement without it",
          "restore it from the libvirt package, or give apparmor.template.content in the state"));
    }
  }

  private static void effectiveDriver(HostSnapshot snap, KernelStatus kernel, List<Finding> out) {
    Optional<QemuValue> explicit = Optional.empty();
    if (snap.qemuConf().text().isPresent()) {
      QemuConfDocument doc =
          QemuConfDocument.parse(snap.qemuConf().path().toString(), snap.qemuConf().text().get());
      explicit = doc.get("security_driver");
      if (doc.get("security_default_confined").map(v -> v.equals(QemuValue.Int.of(0))).orElse(false)) {
        out.add(Finding.of("qemu_conf.security_default_confined", Severity.WARNING,
            "security_default_confined = 0: guests without a <seclabel> run unconfined",
            "set qemu_conf.security_default_confined: true"));
      }
    }
    String driver;
    if (explicit.isPresent()) {
      driver = explicit.get().render();
    } else {
      // libvirt probes the drivers in order when the key is unset: selinux, then apparmor.
      driver = kernel.enabled() ? "\"apparmor\" (probed)" : "\"none\" (probed)";
    }
    if (driver.contains("\"none\"") || driver.equals("[]") || driver.equals("\"\"")) {
      out.add(Finding.of("qemu_conf.security_driver", Severity.ERROR,
          "security_driver is " + driver + ": sVirt confinement is off",
          "set qemu_conf.security_driver: apparmor"));
    } else if (!driver.contains("apparmor")) {
      out.add(Finding.of("qemu_conf.security_driver", Severity.WARNING,
          "security_driver is " + driver + ": AppArmor is not used for guests",
          "set qemu_conf.security_driver: apparmor"));
    } else {
      out.add(Finding.ok("qemu_conf.security_driver", "security_driver is " + driver));
    }

  }

  private static void guests(HostSnapshot snap, KernelStatus kernel, List<Finding> out) {
    int enforcing = 0;
    for (DomainDefinition d : snap.guests()) {
      Uuid uuid = d.uuid();
      HostFile profile = snap.guestProfiles().get(uuid);
      String who = "guest " + d.name() + " (" + uuid + ")";
      if (profile == null || profile.text().orElse("").isEmpty()) {
        out.add(Finding.of("guest." + uuid, Severity.INFO,
            who + " has no profile yet: libvirt makes one from the template when it starts",
            "list the guest in apparmor.guests (or set default_mode) to create it now"));
        continue;
      }
      Mode mode;
      try {
        mode = ProfileDocument.parse(profile.path().toString(), profile.text().get()).mode();
      } catch (InvalidInputException e) {
        // One broken profile is a finding about that guest, not the end of the diagnosis.
        out.add(Finding.of("guest." + uuid, Severity.ERROR,
            who + ": its profile does not parse: " + e.getMessage(),
            "fix or remove " + profile.path() + "; libvirt cannot load it"));
        continue;
      }
      if (mode == Mode.UNCONFINED) {
        out.add(Finding.of("guest." + uuid, Severity.ERROR,
            who + " has an unconfined profile: AppArmor confines nothing for it",
            "svirtctl profile-mode enforce " + profile.path()));
      } else if (mode == Mode.COMPLAIN) {
        out.add(Finding.of("guest." + uuid, Severity.WARNING,
            who + " is in complain mode: violations are logged, not blocked",
            "svirtctl profile-mode enforce " + profile.path()));
      } else {
        enforcing++;
      }
      String loaded = kernel.loadedProfiles().get(uuid.profileName());
      if (loaded != null && !loaded.equals(mode.label())) {
        out.add(Finding.of("guest." + uuid + ".kernel", Severity.WARNING,
            who + " is loaded in " + loaded + " mode but its file says " + mode.label(),
            "apparmor_parser -r " + profile.path()));
      }
    }
    out.add(Finding.ok("guests", enforcing + " of " + snap.guests().size()
        + " defined guest(s) have an enforcing profile"));
  }
}
