#!/usr/bin/env python3
"""Builds a benchmark host root with N guests for svirtctl's bench (not a test).

The libvirt files come from the Debian 12 fixture at bench time (never copied into the
repository): qemu.conf, TEMPLATE.qemu/.lxc, the libvirt-qemu abstraction. Guest profiles are
instantiated from the template the way libvirt does it (DESIGN.md section 1); every guest also
gets a domain XML and a .files list, and the root gets what apparmor_parser needs to compile
the profiles (tunables/, abstractions/, abi/ from the system, empty local/ files).

usage: gen-host.py ROOT N FIXTURES_DIR
"""
import os
import shutil
import sys
import uuid


def guest_uuid(i):
    # Deterministic, canonical lowercase version-4 style UUIDs, so every run builds the same host.
    return str(uuid.UUID(int=(0x5B3A1C1E << 96) | i, version=4))


def main():
    root, n, fixtures = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    deb = os.path.join(fixtures, "libvirt", "debian12-9.0.0")
    aa = os.path.join(root, "etc", "apparmor.d")
    lv = os.path.join(aa, "libvirt")
    xml_dir = os.path.join(root, "etc", "libvirt", "qemu")
    for d in (lv, xml_dir, os.path.join(aa, "local", "abstractions")):
        os.makedirs(d, exist_ok=True)
    for sub in ("tunables", "abstractions", "abi"):
        src = os.path.join("/etc/apparmor.d", sub)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(aa, sub), dirs_exist_ok=True)
    shutil.copy(os.path.join(deb, "etc/apparmor.d/abstractions/libvirt-qemu"),
                os.path.join(aa, "abstractions", "libvirt-qemu"))
    shutil.copy(os.path.join(deb, "etc/apparmor.d/libvirt/TEMPLATE.qemu"), lv)
    shutil.copy(os.path.join(deb, "etc/apparmor.d/libvirt/TEMPLATE.lxc"), lv)
    shutil.copy(os.path.join(deb, "etc/apparmor.d/usr.sbin.libvirtd"), aa)
    for empty in ("local/abstractions/libvirt-qemu", "local/usr.sbin.libvirtd"):
        open(os.path.join(aa, empty), "w").close()
    shutil.copy(os.path.join(deb, "etc/libvirt/qemu.conf"), os.path.join(root, "etc/libvirt"))

    with open(os.path.join(lv, "TEMPLATE.qemu"), encoding="utf-8") as f:
        template = f.read()
    for i in range(n):
        u = guest_uuid(i)
        name = "libvirt-" + u
        text = template.replace("\nprofile LIBVIRT_TEMPLATE", "\nprofile " + name)
        text = text.replace("\n}", "\n  #include <libvirt/" + name + ".files>\n\n}")
        with open(os.path.join(lv, name), "w", encoding="utf-8") as f:
            f.write(text)
        with open(os.path.join(lv, name + ".files"), "w", encoding="utf-8") as f:
            f.write('  "/var/lib/libvirt/images/bench%05d.qcow2" rwk,\n' % i)
        with open(os.path.join(xml_dir, "bench%05d.xml" % i), "w", encoding="utf-8") as f:
            f.write("<domain type='kvm'>\n  <name>bench%05d</name>\n  <uuid>%s</uuid>\n"
                    "  <memory unit='MiB'>1024</memory>\n</domain>\n" % (i, u))


if __name__ == "__main__":
    main()
