package io.svirtctl.render;

import io.svirtctl.apparmor.Mode;
import io.svirtctl.plan.GuestStatus;
import io.svirtctl.plan.HostStatus;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link HostStatus} as Prometheus text exposition metrics, for node_exporter's textfile
 * collector: every family with its HELP and TYPE, label values escaped, series sorted.
 */
final class StatusMetrics {

  private StatusMetrics() {}

  static void write(HostStatus s, PrintWriter out) {
    family(out, "svirtctl_guest_info",
        "A guest of this host: its state, the profile mode in its file and loaded in the kernel.");
    for (GuestStatus g : s.guests()) {
      out.println("svirtctl_guest_info{uuid=\"" + g.uuid().value()
          + "\",name=\"" + escape(g.name().orElse(""))
          + "\",state=\"" + g.state().label()
          + "\",mode=\"" + StatusReport.modeLabel(g)
          + "\",loaded_mode=\"" + escape(g.loadedMode().orElse("")) + "\"} 1");
    }

    family(out, "svirtctl_guests",
        "Guests by the profile mode in their file (none: no profile, invalid: it does not parse).");
    Map<String, Long> byMode = new TreeMap<>();
    for (Mode m : Mode.values()) {
      byMode.put(m.label(), 0L);
    }
    byMode.put("none", 0L);
    byMode.put("invalid", 0L);
    for (GuestStatus g : s.guests()) {
      byMode.merge(StatusReport.modeLabel(g), 1L, Long::sum);
    }
    byMode.forEach((mode, n) -> out.println("svirtctl_guests{mode=\"" + mode + "\"} " + n));

    family(out, "svirtctl_confined",
        "1 when sVirt AppArmor confinement is in force (svirtctl doctor finds no error), else 0.");
    out.println("svirtctl_confined " + (s.confined() ? 1 : 0));

    family(out, "svirtctl_unconfined_running_guests",
        "Running guests whose profile is not loaded, or loaded unconfined.");
    out.println("svirtctl_unconfined_running_guests " + s.unconfinedRunning());

    if (s.declared()) {
      family(out, "svirtctl_guests_out_of_sync",
          "Guests whose profile differs from the declared state.");
      out.println("svirtctl_guests_out_of_sync "
          + s.guests().stream().filter(g -> !g.inSync().orElse(true)).count());
    }

    family(out, "svirtctl_hook_installed", "1 when svirtctl's libvirt qemu hook is installed.");
    out.println("svirtctl_hook_installed " + (s.hookInstalled() ? 1 : 0));

    if (s.lastRun().isPresent()) {
      family(out, "svirtctl_last_run_timestamp_seconds",
          "When the newest journaled svirtctl run started, in seconds since the epoch.");
      out.println("svirtctl_last_run_timestamp_seconds " + s.lastRun().get().time().getEpochSecond());
    }
  }

  private static void family(PrintWriter out, String name, String help) {
    out.println("# HELP " + name + " " + help.replace("\\", "\\\\").replace("\n", "\\n"));
    out.println("# TYPE " + name + " gauge");
  }

  /** A label value as the exposition format quotes it: backslash, double quote, line feed. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
