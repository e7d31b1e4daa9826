package io.svirtctl.plan;

import io.svirtctl.host.HookActivation;
import io.svirtctl.host.HookActivation.DaemonProcess;
import io.svirtctl.host.HookActivation.HookScript;
import io.svirtctl.host.HookActivation.LibvirtVersion;
import io.svirtctl.host.HostSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code doctor}'s answer to "does libvirt run svirtctl's qemu hook": the script is there and
 * executable, this libvirt reads {@code hooks/qemu.d/} (6.5 and later, docs/fleet.md), and the
 * daemon started after the script appeared, or found another qemu hook when it started (then it
 * lists {@code qemu.d/} again at each call). A pure reading of the snapshot's facts.
 */
public final class HookActivity {

  /** The first libvirt release that runs the scripts in {@code hooks/<driver>.d/}. */
  static final int DROP_IN_MAJOR = 6;

  static final int DROP_IN_MINOR = 5;

  private HookActivity() {}

  public static List<Finding> examine(HostSnapshot snap) {
    HookActivation facts = snap.hookActivation();
    List<Finding> out = new ArrayList<>();
    Optional<HookScript> own = facts.svirtctlHook();
    Path path = snap.qemuHook().path();
    if (own.isEmpty()) {
      out.add(Finding.ok("hook", "svirtctl's qemu hook is not installed (apparmor.guests.hook is off)"));
      return out;
    }
    if (!own.get().executable()) {
      out.add(Finding.of("hook", Severity.WARNING,
          path + " is not executable: libvirt skips it",
          "chmod 0755 " + path + ", or run svirtctl apply"));
      return out;
    }
    out.add(Finding.ok("hook", path + " is installed and executable"));
    String daemon = snap.daemon().serviceName();
    Optional<LibvirtVersion> version = facts.version();
    if (version.isEmpty()) {
      out.add(Finding.of("hook.layout", Severity.INFO,
          "libvirt's version was not found (looked at " + facts.versionSources().stream()
              .map(Path::toString).collect(Collectors.joining(", "))
              + "): libvirt before 6.5 does not run scripts in " + path.getParent() + "/",
          "check that libvirt is 6.5 or later (" + daemon + " --version)"));
    } else if (!version.get().atLeast(DROP_IN_MAJOR, DROP_IN_MINOR)) {
      out.add(Finding.of("hook.layout", Severity.WARNING,
          "libvirt " + version.get().text() + " (read from " + version.get().source()
              + ") runs only " + path.getParent().getParent().resolve("qemu") + ", not the scripts in "
              + path.getParent() + "/ (read since 6.5): the svirtctl hook never runs",
          "upgrade libvirt to 6.5 or later, or run " + path + " from "
              + path.getParent().getParent().resolve("qemu")));
      return out;
    } else {
      out.add(Finding.ok("hook.layout", "libvirt " + version.get().text() + " (read from "
          + version.get().source() + ") runs the scripts in " + path.getParent() + "/"));
    }
    out.add(active(facts, own.get(), daemon));
    return out;
  }

  /** Whether the running daemon looked for hooks after the script appeared. */
  private static Finding active(HookActivation facts, HookScript own, String daemon) {
    if (facts.daemon().isEmpty()) {
      return Finding.ok("hook.active",
          daemon + " is not running (no /run/" + daemon + ".pid naming a live " + daemon
              + "): it finds the hook when it starts");
    }
    DaemonProcess running = facts.daemon().get();
    String started = daemon + " (pid " + running.pid() + ") started at " + running.started();
    if (!running.started().isBefore(own.modified())) {
      return Finding.ok("hook.active",
          started + ", after the hook was installed (" + own.modified() + "): libvirt runs it");
    }
    Optional<HookScript> seen =
        facts.otherExecutableHooks().stream()
            .filter(h -> h.modified().isBefore(running.started()))
            .findFirst();
    if (seen.isPresent()) {
      return Finding.ok("hook.active",
          started + " and found the qemu hook " + seen.get().path()
              + ", so it lists the hook directory at each call and runs the svirtctl hook too");
    }
    return Finding.of("hook.active", Severity.WARNING,
        started + ", before the hook was installed (" + own.modified() + "): libvirt looks for"
            + " hooks only when its daemon starts, so it does not run the svirtctl hook",
        "restart " + daemon + " to activate the svirtctl hook");
  }
}
