#!/usr/bin/env python3
"""Writes a synthetic auditd log for the learn benchmark (not a test).

The mix imitates a busy hypervisor's /var/log/audit/audit.log: AppArmor records of libvirt
guests (ALLOWED from guests in complain, DENIED from guests in enforce) of every kind learn
turns into rules (file open/mmap/lock/mkdir/unlink/truncate, exec, capable, network, signal,
ptrace, unix, hex-encoded names, enriched auditd fields after a GS character), each often
followed by its SYSCALL and PROCTITLE records; records of other profiles; STATUS and AUDIT
records; and other subsystems' records (logins, services, cron). Distinct accesses come from a
fixed pool, so the number of distinct rules stays the same whatever the size: a log twice as
large holds the same rules, seen twice as often.

usage: learn-gen.py OUT SIZE_MB [GUESTS]
Prints the number of lines and of libvirt guest ALLOWED/DENIED records written.
"""
import random
import sys
import uuid

GS = "\x1d"


def guest_uuid(i):
    return str(uuid.UUID(int=(0x5B3A1C1E << 96) | i, version=4))


def hexed(s):
    return s.encode().hex().upper()


def guest_records(rng, u, verdict):
    """Every record body (after 'msg=audit(…): ') one guest's QEMU might produce."""
    prof = "libvirt-" + u
    head = 'apparmor="%s" operation="%%s" profile="%s"' % (verdict, prof)
    qemu = ' pid=%d comm="qemu-system-x86"' % rng.randint(2000, 60000)
    out = []

    def file_rec(op, path, mask, owner, enrich):
        name = ' name=%s' % hexed(path) if " " in path else ' name="%s"' % path
        ouid = 64055 if owner else 0
        body = (head % op) + name + qemu + ' requested_mask="%s" denied_mask="%s" fsuid=64055 ouid=%d' % (
            mask, mask, ouid)
        if enrich:
            body += GS + 'FSUID="libvirt-qemu" OUID="%s"' % ("libvirt-qemu" if owner else "root")
        return body

    for k in range(40):
        out.append(file_rec("open", "/srv/vm-images/%s/disk%d.qcow2" % (u[-8:], k % 4), "rw", True, k % 2 == 0))
        out.append(file_rec("open", "/srv/iso/install-%d.iso" % k, "r", False, k % 3 == 0))
        out.append(file_rec("file_mmap", "/usr/lib/x86_64-linux-gnu/qemu/block-%d.so" % k, "mr", False, True))
        out.append(file_rec("file_lock", "/srv/vm-images/%s/disk%d.qcow2" % (u[-8:], k % 4), "k", True, False))
        out.append(file_rec("open", "/sys/devices/system/node/node%d/meminfo" % (k % 8), "r", False, True))
        out.append(file_rec("open", "/dev/vfio/%d" % k, "rw", False, False))
        out.append(file_rec("mkdir", "/var/lib/libvirt/qemu/domain-%s/dir%d/" % (u[-8:], k), "c", True, True))
        out.append(file_rec("unlink", "/var/lib/libvirt/qemu/domain-%s/sock%d" % (u[-8:], k), "d", True, False))
        out.append(file_rec("truncate", "/var/log/libvirt/qemu/%s-%d.log" % (u[-8:], k), "w", True, False))
        out.append(file_rec("open", "/srv/shared media/%s/clip %d.mkv" % (u[-8:], k), "r", False, True))
        out.append(file_rec("getattr", "/proc/%d/task/%d/stat" % (4000 + k, 4001 + k), "r", True, False))
    for k in range(4):
        out.append((head % "exec") + ' name="/usr/lib/qemu/helper-%d"' % k + qemu
                   + ' requested_mask="x" denied_mask="x" fsuid=0 ouid=0 target="%s//null-/usr/lib/qemu/helper-%d"'
                   % (prof, k))
    for cap in ("net_admin", "sys_rawio", "sys_resource", "ipc_lock"):
        out.append((head % "capable") + qemu + ' class="cap" capability=12 capname="%s"' % cap)
    for fam, typ, proto in (("inet", "dgram", 17), ("inet6", "stream", 6), ("netlink", "raw", 0),
                            ("packet", "raw", 768)):
        out.append((head % "create") + qemu + ' class="net" family="%s" sock_type="%s" protocol=%d'
                   ' requested="create" denied="create"' % (fam, typ, proto))
    for sig in ("term", "kill", "usr1"):
        out.append((head % "signal") + qemu + ' class="signal" requested_mask="send" denied_mask="send"'
                   ' signal=%s peer="libvirtd"' % sig)
    out.append((head % "ptrace") + qemu + ' class="ptrace" requested_mask="read" denied_mask="read"'
               ' peer="unconfined"')
    out.append((head % "connect") + qemu + ' class="net" family="unix" sock_type="stream" protocol=0'
               ' requested_mask="send receive connect" denied_mask="send connect" addr=none'
               ' peer_addr="@/tmp/.X11-unix/X0" peer="unconfined"')
    return out


OTHER_PROFILES = ("/usr/sbin/cupsd", "snap.firefox.firefox", "/usr/sbin/ntpd", "man_filter",
                  "/usr/sbin/libvirtd", "rsyslogd")


def other_records(rng):
    out = []
    for p in OTHER_PROFILES:
        for k in range(20):
            out.append('apparmor="DENIED" operation="open" profile="%s" name="/etc/other/%d.conf"'
                       ' pid=%d comm="other" requested_mask="r" denied_mask="r" fsuid=0 ouid=0'
                       % (p, k, rng.randint(100, 9000)))
    return out


def status_records(rng, uuids):
    out = []
    for u in uuids:
        out.append('apparmor="STATUS" operation="profile_replace" info="same as current profile,'
                   ' skipping" profile="unconfined" name="libvirt-%s" pid=%d comm="apparmor_parser"'
                   % (u, rng.randint(100, 9000)))
        out.append('apparmor="AUDIT" operation="open" profile="libvirt-%s" name="/etc/hosts" pid=%d'
                   ' comm="qemu-system-x86" requested_mask="r" fsuid=64055 ouid=0' % (u, rng.randint(100, 9000)))
    return out


NOISE = (
    'type=USER_ACCT msg=audit(%s): pid=%d uid=0 auid=4294967295 ses=4294967295 subj=unconfined'
    ' msg=\'op=PAM:accounting grantors=pam_permit acct="root" exe="/usr/sbin/cron" hostname=?'
    ' addr=? terminal=cron res=success\'' + GS + 'UID="root" AUID="unset"',
    'type=CRED_ACQ msg=audit(%s): pid=%d uid=0 auid=4294967295 ses=4294967295 subj=unconfined'
    ' msg=\'op=PAM:setcred grantors=pam_permit acct="root" exe="/usr/sbin/cron" hostname=? addr=?'
    ' terminal=cron res=success\'' + GS + 'UID="root" AUID="unset"',
    'type=SERVICE_START msg=audit(%s): pid=%d uid=0 auid=4294967295 ses=4294967295'
    ' subj=unconfined msg=\'unit=systemd-tmpfiles-clean comm="systemd"'
    ' exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success\'' + GS
    + 'UID="root" AUID="unset"',
    'type=LOGIN msg=audit(%s): pid=%d uid=0 subj=unconfined old-auid=4294967295 auid=0 tty=(none)'
    ' old-ses=4294967295 ses=41 res=1' + GS + 'UID="root" OLD-AUID="unset" AUID="root"',
    'type=BPF msg=audit(%s): prog-id=%d op=LOAD',
    'type=NETFILTER_CFG msg=audit(%s): table=filter:%d family=2 entries=12 op=nft_register_chain'
    ' pid=811 subj=unconfined comm="nft"',
)


def main():
    out_path, size_mb = sys.argv[1], int(sys.argv[2])
    guests = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    rng = random.Random(20261203)
    uuids = [guest_uuid(i) for i in range(guests)]
    # Half the guests in complain (ALLOWED), half in enforce (DENIED).
    pools = [guest_records(rng, u, "ALLOWED" if i % 2 == 0 else "DENIED") for i, u in enumerate(uuids)]
    flat = [r for p in pools for r in p]
    others = other_records(rng)
    statuses = status_records(rng, uuids)
    target = size_mb * 1024 * 1024
    written = 0
    lines = 0
    guest_records_written = 0
    t = 1764669600.0
    serial = 1000
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        buf = []
        while written < target:
            for _ in range(2000):
                t += 0.0007
                serial += 1
                stamp = "%.3f:%d" % (t, serial)
                x = rng.random()
                if x < 0.55:
                    body = flat[rng.randrange(len(flat))]
                    buf.append("type=AVC msg=audit(%s): %s\n" % (stamp, body))
                    guest_records_written += 1
                    if x < 0.25:
                        buf.append('type=SYSCALL msg=audit(%s): arch=c000003e syscall=257 success=no'
                                   ' exit=-13 a0=ffffff9c a1=7f3a2c001230 a2=80002 a3=0 items=0'
                                   ' ppid=1 pid=4242 auid=4294967295 uid=64055 gid=64055 euid=64055'
                                   ' suid=64055 fsuid=64055 egid=64055 sgid=64055 fsgid=64055'
                                   ' tty=(none) ses=4294967295 comm="qemu-system-x86"'
                                   ' exe="/usr/bin/qemu-system-x86_64" subj=libvirt-%s (enforce)'
                                   ' key=(null)%sARCH=x86_64 SYSCALL=openat AUID="unset"'
                                   ' UID="libvirt-qemu" GID="libvirt-qemu"\n'
                                   % (stamp, uuids[serial % guests], GS))
                        buf.append("type=PROCTITLE msg=audit(%s): proctitle=2F7573722F62696E2F71656D"
                                   "752D73797374656D2D7838365F3634002D6E616D65\n" % stamp)
                        lines += 2
                elif x < 0.65:
                    buf.append("type=AVC msg=audit(%s): %s\n" % (stamp, others[rng.randrange(len(others))]))
                elif x < 0.67:
                    buf.append("type=AVC msg=audit(%s): %s\n" % (stamp, statuses[rng.randrange(len(statuses))]))
                else:
                    buf.append(NOISE[rng.randrange(len(NOISE))] % (stamp, rng.randint(100, 90000)) + "\n")
                lines += 1
            chunk = "".join(buf)
            buf.clear()
            f.write(chunk)
            written += len(chunk.encode("utf-8")) if not chunk.isascii() else len(chunk)
    print("lines=%d guest_records=%d bytes=%d" % (lines, guest_records_written, written))


if __name__ == "__main__":
    main()
