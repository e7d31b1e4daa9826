package io.svirtctl.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log lines of one guest's AppArmor events in every form records arrive in, one distinct access
 * per form, with the rule each should yield. Shared by the command's tests and its integration
 * test.
 */
public final class LearnLogs {

  /** The demo tree's guest web01. */
  public static final String WEB01 = "5b3a1c1e-8a51-4d7c-9a77-0123456789ab";

  private LearnLogs() {}

  /** The fields of a complain-mode file access by the guest's QEMU. */
  public static String record(String uuid, String op, String path, String mask, boolean owner) {
    return "apparmor=\"ALLOWED\" operation=\"" + op + "\" profile=\"libvirt-" + uuid + "\" name=\""
        + path + "\" pid=4242 comm=\"qemu-system-x86\" requested_mask=\"" + mask
        + "\" denied_mask=\"" + mask + "\" fsuid=64055 ouid=" + (owner ? "64055" : "0");
  }

  /** Each input form (by label) with its line; every line's access differs. */
  public static Map<String, String> everyForm(String uuid) {
    Map<String, String> m = new LinkedHashMap<>();
    String stamp = "audit(1764669601.123:%d): ";
    m.put("auditd AVC", "type=AVC msg=" + String.format(stamp, 1)
        + record(uuid, "open", "/srv/iso/auditd.iso", "r", false));
    m.put("auditd 1400 enriched", "type=1400 msg=" + String.format(stamp, 2)
        + record(uuid, "open", "/srv/iso/enriched.iso", "r", false)
        + "\u001dFSUID=\"libvirt-qemu\" OUID=\"root\"");
    m.put("dmesg audit:", "[ 1612.746129] audit: type=1400 " + String.format(stamp, 3)
        + record(uuid, "open", "/srv/iso/dmesg.iso", "r", false));
    m.put("dmesg bare", "[ 1612.746130] type=1400 " + String.format(stamp, 4)
        + record(uuid, "mkdir", "/var/lib/libvirt/qemu/dmesg-dir/", "c", true));
    m.put("dmesg -T", "[Wed Dec  2 10:00:01 2026] audit: type=1400 " + String.format(stamp, 5)
        + record(uuid, "file_lock", "/srv/vm-images/lock.img", "k", false));
    m.put("syslog RFC 3164", "Dec  2 10:00:01 hv01 kernel: [ 1612.746131] audit: type=1400 "
        + String.format(stamp, 6) + record(uuid, "truncate", "/srv/vm-images/trunc.img", "w", false));
    m.put("syslog month in full", "DECEMBER  2 10:00:01 hv01 kernel: type=1400 "
        + String.format(stamp, 7) + record(uuid, "open", "/srv/iso/month.iso", "wr", false));
    m.put("syslog RFC 3339", "2026-12-02T10:00:01.123456+00:00 hv01 kernel: audit: type=1400 "
        + String.format(stamp, 8) + record(uuid, "exec", "/usr/lib/qemu/helper", "x", false));
    m.put("journald audit[PID]", "Dec 02 10:00:01 hv01 audit[4242]: AVC "
        + record(uuid, "open", "/srv/iso/journald.iso", "r", false));
    m.put("journalctl -k", "Dec 02 10:00:01 hv01 kernel: audit: type=1400 "
        + String.format(stamp, 9) + record(uuid, "getattr", "/srv/iso/journalk.iso", "r", false));
    m.put("bare record", record(uuid, "open", "/srv/iso/bare.iso", "r", false));
    m.put("noise in front", "garbage###audit.log:type=AVC msg=" + String.format(stamp, 10)
        + record(uuid, "open", "/srv/iso/noise.iso", "r", false));
    m.put("hex-encoded name", "type=AVC msg=" + String.format(stamp, 11)
        + record(uuid, "open", "X", "r", false).replace("name=\"X\"",
            "name=2F7372762F69736F2F7769746820737061636520312E69736F"));
    m.put("capability", "type=AVC msg=" + String.format(stamp, 12) + "apparmor=\"DENIED\""
        + " operation=\"capable\" class=\"cap\" profile=\"libvirt-" + uuid + "\" pid=4242"
        + " comm=\"qemu-system-x86\" capability=12 capname=\"net_admin\"");
    m.put("network", "type=AVC msg=" + String.format(stamp, 13) + "apparmor=\"ALLOWED\""
        + " operation=\"create\" class=\"net\" info=\"x\" error=-13 profile=\"libvirt-" + uuid
        + "\" pid=4242 comm=\"qemu-system-x86\" family=\"netlink\" sock_type=\"raw\""
        + " protocol=0 requested=\"create\" denied=\"create\"");
    return m;
  }

  /** The rules {@link #everyForm} asks for, in order. */
  public static List<String> expectedRules() {
    return new ArrayList<>(List.of(
        "/srv/iso/auditd.iso r,",
        "/srv/iso/enriched.iso r,",
        "/srv/iso/dmesg.iso r,",
        "owner /var/lib/libvirt/qemu/dmesg-dir/ w,",
        "/srv/vm-images/lock.img k,",
        "/srv/vm-images/trunc.img w,",
        "/srv/iso/month.iso rw,",
        "/usr/lib/qemu/helper mrix,",
        "/srv/iso/journald.iso r,",
        "/srv/iso/journalk.iso r,",
        "/srv/iso/bare.iso r,",
        "/srv/iso/noise.iso r,",
        "\"/srv/iso/with space 1.iso\" r,",
        "capability net_admin,",
        "network netlink raw,"));
  }
}
