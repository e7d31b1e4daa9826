package io.svirtctl.plan;

import io.svirtctl.Uuid;
import io.svirtctl.apparmor.SvirtTemplate;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.state.GuestsSpec;
import java.util.SortedMap;

/**
 * Plans the libvirt qemu hook ({@code apparmor.guests.hook}): with the hook on, the script in
 * {@code hooks/qemu.d/} and the record of what it restores; with it off, neither (both are
 * svirtctl's own files, so they are removed when present).
 *
 * <p>The hook exists because old libvirt deleted a guest's profile at stop, and libvirt creates a
 * missing profile from the template in enforce mode: without the record a guest declared in
 * complain mode would start enforced.
 */
final class HookPlanner {

  /**
   * The hook script; libvirt passes DOMAIN OPERATION SUB-OPERATION EXTRA, the XML on stdin. They
   * follow {@code --}, so a domain named {@code -x}, {@code --version} or {@code @file} is a
   * domain name and never an option or an argument file.
   */
  static final String SCRIPT =
      "#!/bin/sh\n"
          + "# libvirt qemu hook installed by svirtctl (apparmor.guests.hook: true); svirtctl apply\n"
          + "# rewrites or removes this file. Before a guest starts it restores the guest's AppArmor\n"
          + "# profile with its last applied mode and rules (see svirtctl hook --help).\n"
          + "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
          + "export PATH\n"
          + "exec svirtctl hook qemu -- \"$@\"\n";

  private HookPlanner() {}

  static void plan(
      GuestsSpec spec,
      HostSnapshot snap,
      TemplatePlanner.Outcome template,
      SortedMap<Uuid, HookRecord.Guest> guests,
      PlanBuilder out) {
    HostFile script = snap.qemuHook();
    HostFile record = snap.hookRecord();
    if (!spec.hook()) {
      if (script.exists()) {
        out.delete(script);
        out.change(new HookChange(HookChange.Part.SCRIPT, script.path(), Action.DELETE, 0));
      }
      if (record.exists()) {
        out.delete(record);
        out.change(new HookChange(HookChange.Part.RECORD, record.path(), Action.DELETE, 0));
      }
      return;
    }
    // A script that lost its execute bit is skipped by libvirt: write it again with 0755.
    boolean notExecutable =
        snap.hookActivation().svirtctlHook().map(h -> !h.executable()).orElse(false);
    if (out.writeExecutable(script, SCRIPT, notExecutable)) {
      out.change(
          new HookChange(
              HookChange.Part.SCRIPT,
              script.path(),
              script.exists() ? Action.UPDATE : Action.CREATE,
              0));
      if (!script.exists() || notExecutable) {
        restartIfUnseen(snap, out);
      }
    }
    if (!template.broken().isEmpty()) {
      // The record holds the template: it waits until the template can be read.
      out.fail("apparmor.guests.hook (record)", template.broken());
      return;
    }
    HookRecord desired =
        new HookRecord(
            template.template().map(SvirtTemplate::text),
            spec.defaultMode(),
            template.rules(),
            guests);
    if (out.write(record, desired.toJson(), false)) {
      out.change(
          new HookChange(
              HookChange.Part.RECORD,
              record.path(),
              record.exists() ? Action.UPDATE : Action.CREATE,
              guests.size()));
    }
  }

  /**
   * libvirt looks for hook scripts when its daemon starts and remembers only whether a driver has
   * any: with another executable qemu hook there, the daemon lists {@code qemu.d/} again at each
   * call and finds the new script; without one it never calls a qemu hook until it restarts.
   * Removing the script needs no restart: a missing script is simply not run.
   */
  private static void restartIfUnseen(HostSnapshot snap, PlanBuilder out) {
    if (!snap.hookActivation().otherExecutableHooks().isEmpty()) {
      return;
    }
    String daemon = snap.daemon().serviceName();
    out.restart(daemon);
    out.warn(
        daemon + " must restart before it runs the hook " + snap.qemuHook().path()
            + ": libvirt looks for qemu hooks only when its daemon starts, and there was no other"
            + " executable qemu hook in " + snap.qemuHook().path().getParent().getParent());
  }
}
