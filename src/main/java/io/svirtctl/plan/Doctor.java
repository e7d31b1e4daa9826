package io.svirtctl.plan;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.host.DomainDefinition;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.Seclabel;
import io.svirtctl.qemuconf.QemuConfDocument;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.state.GuestRef;
import io.svirtctl.state.GuestSpec;
import io.svirtctl.state.HostState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "is sVirt AppArmor confinement actually in force on this host, and if not, why": a
 * pure diagnosis of a snapshot, the kernel's status, what apparmor_parser said of every profile
 * and, when given, the declared state; each finding with its fix. A file that cannot be read or
 * parsed is a finding about that file; the diagnosis goes on.
 */
public final class Doctor {

  /** The profile name of the libvirt daemon's own profile. */
  static final String LIBVIRTD_PROFILE = "libvirtd";

  private static final String ENABLE_APPARMOR =
      "add apparmor=1 security=apparmor to the kernel command line (GRUB_CMDLINE_LINUX in"
          + " /etc/default/grub, then update-grub) and reboot, so the AppArmor module is enabled"
          + " (/sys/module/apparmor/parameters/enabled reads Y); install the apparmor package";

  private Doctor() {}

  /** The diagnosis of a host without parser verdicts or a declared state. */
  public static List<Finding> examine(HostSnapshot snap, KernelStatus kernel) {
    return examine(snap, kernel, List.of(), Optional.empty(), Optional.empty());
  }

  /**
   * The full diagnosis.
   *
   * @param unreadable host files left out of the snapshot because they could not be parsed
   * @param compilation what apparmor_parser said of every profile, when it was run
   * @param declared the declared state, to judge modes and rules against
   */
  public static List<Finding> examine(
      HostSnapshot snap,
      KernelStatus kernel,
      List<Diagnostic> unreadable,
      Optional<ProfileCompilation> compilation,
      Optional<HostState> declared) {
    List<Finding> out = new ArrayList<>();
    if (kernel.enabled()) {
      out.add(Finding.ok("apparmor.enabled", "AppArmor is enabled in the kernel"));
    } else {
      out.add(Finding.of("apparmor.enabled", Severity.ERROR,
          "AppArmor is not enabled in the kernel: libvirt cannot confine any guest with it",
          ENABLE_APPARMOR));
    }
    for (Diagnostic d : unreadable) {
      out.add(Finding.of("host.file", Severity.ERROR, d + ": cannot be read: libvirt does not know this guest",
          "fix or remove the file; libvirt refuses it too"));
    }
    qemuConf(snap, kernel, out);
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
    compilation.ifPresent(c -> compiled(c, out));
    Map<Uuid, Mode> declaredModes = declared.map(d -> declaredModes(d, snap)).orElse(Map.of());
    guests(snap, kernel, declaredModes, out);
    out.addAll(HookActivity.examine(snap));
    declared.ifPresent(d -> drift(d, snap, kernel, out));
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

  private static void compiled(ProfileCompilation c, List<Finding> out) {
    if (c.parser().isEmpty()) {
      out.add(Finding.of("profiles.compile", Severity.WARNING,
          "apparmor_parser is not installed: no profile was compiled",
          "install the apparmor package"));
      return;
    }
    for (Diagnostic d : c.refusals()) {
      out.add(Finding.of("profiles.compile", Severity.ERROR,
          d + ": the kernel cannot load this profile",
          "fix the line the parser names (apparmor_parser -Q -K FILE checks it), then reload"));
    }
    if (c.refusals().isEmpty()) {
      out.add(Finding.ok("profiles.compile",
          c.parser().get() + " compiles every profile (" + c.compiled() + " compiled)"));
    }
  }

  private static void qemuConf(HostSnapshot snap, KernelStatus kernel, List<Finding> out) {
    Optional<QemuValue> explicit = Optional.empty();
    // One that is not UTF-8 is already reported as unreadable.
    if (snap.qemuConf().text().isPresent() && snap.undecodable(snap.qemuConf()).isEmpty()) {
      QemuConfDocument doc;
      try {
        doc = QemuConfDocument.parse(snap.qemuConf().path().toString(), snap.qemuConf().text().get());
      } catch (InvalidInputException e) {
        out.add(Finding.of("qemu_conf", Severity.ERROR,
            e.getMessage() + ": libvirt cannot load this qemu.conf (its QEMU driver does not start)",
            "fix the syntax at that position"));
        return;
      }
      for (Diagnostic d : doc.validate()) {
        out.add(Finding.of("qemu_conf.value", Severity.ERROR,
            d + " (libvirt refuses this qemu.conf)",
            "set a value libvirt accepts, e.g. through qemu_conf in the state"));
      }
      explicit = doc.get("security_driver");
      if (doc.get("security_default_confined").map(v -> v.equals(QemuValue.Int.of(0))).orElse(false)) {
        out.add(Finding.of("qemu_conf.security_default_confined", Severity.ERROR,
            "security_default_confined = 0: guests without a <seclabel> run unconfined",
            "set qemu_conf.security_default_confined: true"));
      }
    }
    effectiveDriver(explicit, kernel, out);
  }

  private static void effectiveDriver(Optional<QemuValue> explicit, KernelStatus kernel, List<Finding> out) {
    String driver;
    if (explicit.isPresent()) {
      driver = explicit.get().render();
    } else {
      // libvirt probes the drivers in order when the key is unset: selinux, then apparmor.
      driver = kernel.enabled() ? "\"apparmor\" (probed)" : "\"none\" (probed)";
    }
    if (!kernel.enabled() && explicit.isEmpty()) {
      // The driver is off because the kernel has no AppArmor: setting the key would not help.
      out.add(Finding.of("qemu_conf.security_driver", Severity.ERROR,
          "security_driver is " + driver + ": the kernel has no AppArmor for libvirt to find",
          ENABLE_APPARMOR));
    } else if (driver.contains("\"none\"") || driver.equals("[]") || driver.equals("\"\"")) {
      out.add(Finding.of("qemu_conf.security_driver", Severity.ERROR,
          "security_driver is " + driver + ": sVirt confinement is off",
          "set qemu_conf.security_driver: apparmor"));
    } else if (!driver.contains("apparmor")) {
      out.add(Finding.of("qemu_conf.security_driver", Severity.WARNING,
          "security_driver is " + driver + ": AppArmor is not used for guests",
          "set qemu_conf.security_driver: apparmor"));
    } else if (!kernel.enabled()) {
      out.add(Finding.of("qemu_conf.security_driver", Severity.ERROR,
          "security_driver is " + driver + " but the kernel has no AppArmor: libvirt's QEMU driver fails to start",
          ENABLE_APPARMOR));
    } else {
      out.add(Finding.ok("qemu_conf.security_driver", "security_driver is " + driver));
    }
  }

  private static void guests(
      HostSnapshot snap, KernelStatus kernel, Map<Uuid, Mode> declaredModes, List<Finding> out) {
    int enforcing = 0;
    for (DomainDefinition d : snap.guests()) {
      Uuid uuid = d.uuid();
      String who = "guest " + d.name() + " (" + uuid + ")";
      boolean running = snap.runningGuest(uuid).isPresent() || kernel.loadedProfiles().containsKey(uuid.profileName());
      boolean labelled = seclabels(d, who, out);
      HostFile profile = snap.guestProfiles().get(uuid);
      if (profile == null || profile.text().orElse("").isEmpty()) {
        if (snap.runningGuest(uuid).isPresent()) {
          out.add(Finding.of("guest." + uuid, Severity.ERROR,
              who + " is running without a profile file: it is not confined by a profile svirtctl can see",
              "svirtctl apply with the guest in apparmor.guests (or default_mode), then restart the guest"));
        } else {
          out.add(Finding.of("guest." + uuid, Severity.INFO,
              who + " has no profile yet: libvirt makes one from the template when it starts",
              "list the guest in apparmor.guests (or set default_mode) to create it now"));
        }
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
      Optional<Mode> declared = Optional.ofNullable(declaredModes.get(uuid));
      if (mode == Mode.UNCONFINED) {
        out.add(Finding.of("guest." + uuid, Severity.ERROR,
            who + " has an unconfined profile" + (running ? " and runs" : "") + ": AppArmor confines nothing for it",
            "svirtctl profile-mode enforce " + uuid));
      } else if (mode == Mode.COMPLAIN && declared.equals(Optional.of(Mode.COMPLAIN))) {
        out.add(Finding.ok("guest." + uuid, who + " is in complain mode, as the state declares"));
      } else if (mode == Mode.COMPLAIN) {
        out.add(Finding.of("guest." + uuid, Severity.WARNING,
            who + " is in complain mode: violations are logged, not blocked",
            "svirtctl profile-mode enforce " + uuid));
      } else if (labelled) {
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

  /**
   * The guest's {@code <seclabel>}s as libvirt applies them; false when one takes it out of
   * AppArmor confinement ({@code type='none'}, or a model other than AppArmor's or DAC's).
   */
  private static boolean seclabels(DomainDefinition d, String who, List<Finding> out) {
    boolean confined = true;
    for (Seclabel s : d.seclabels()) {
      String where = d.file() + ":" + s.location().line();
      String model = s.model().orElse("");
      if (s.type().equals("none") && (model.isEmpty() || model.equals("apparmor"))) {
        out.add(Finding.of("guest." + d.uuid() + ".seclabel", Severity.ERROR,
            who + " has <seclabel type='none'" + (model.isEmpty() ? "" : " model='" + model + "'")
                + "/> (" + where + "): libvirt runs it unconfined",
            "virsh edit " + d.name() + " and remove the <seclabel> (or set type='dynamic')"));
        confined = false;
      } else if (!model.isEmpty() && !model.equals("apparmor") && !model.equals("dac")) {
        out.add(Finding.of("guest." + d.uuid() + ".seclabel", Severity.ERROR,
            who + " has <seclabel model='" + model + "'> (" + where
                + "): not AppArmor's, so AppArmor does not label this guest",
            "virsh edit " + d.name() + " and use model='apparmor' (or remove the <seclabel>)"));
        confined = false;
      }
    }
    return confined;
  }

  /** The mode the state declares for each guest of the host it resolves to. */
  private static Map<Uuid, Mode> declaredModes(HostState declared, HostSnapshot snap) {
    Map<String, Uuid> byName = new HashMap<>();
    for (DomainDefinition d : snap.guests()) {
      byName.put(d.name(), d.uuid());
    }
    Map<Uuid, Mode> modes = new HashMap<>();
    Optional<Mode> fallback = declared.apparmor().guests().defaultMode();
    if (fallback.isPresent()) {
      for (DomainDefinition d : snap.guests()) {
        modes.put(d.uuid(), fallback.get());
      }
    }
    for (GuestSpec g : declared.apparmor().guests().list()) {
      Optional<Uuid> uuid = g.ref() instanceof GuestRef.ByUuid u
          ? Optional.of(u.uuid())
          : Optional.ofNullable(byName.get(((GuestRef.ByName) g.ref()).name()));
      Optional<Mode> mode = g.mode().or(() -> fallback);
      if (uuid.isPresent() && mode.isPresent()) {
        modes.put(uuid.get(), mode.get());
      }
    }
    return modes;
  }

  /** Every difference between the host and the declared state, as apply would change it. */
  private static void drift(HostState declared, HostSnapshot snap, KernelStatus kernel, List<Finding> out) {
    Plan plan;
    try {
      plan = Planner.plan(declared, snap, kernel);
    } catch (InvalidInputException e) {
      out.add(Finding.of("state", Severity.ERROR,
          "the declared state cannot be planned on this host: " + e.getMessage(),
          "fix the state or the host file it names"));
      return;
    }
    for (Change c : plan.changes()) {
      String what = c instanceof GuestModeChange m
          ? "guest " + m.guest().name().orElse("-") + " (" + m.guest().uuid() + ") is in "
              + m.before().label() + " mode, the state declares " + m.after().label()
          : c.resource() + " differs from the state (apply would " + c.action().label() + " it in " + c.path() + ")";
      out.add(Finding.of("state." + c.resource(), Severity.WARNING, what,
          "svirtctl apply -f STATE"));
    }
    if (plan.changes().isEmpty()) {
      out.add(Finding.ok("state", "the host matches the declared state"));
    }
  }
}
