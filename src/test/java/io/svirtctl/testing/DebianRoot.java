package io.svirtctl.testing;

import io.svirtctl.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A scratch copy of a real Debian 12 host tree (libvirt 9.0.0 as packaged) with guest web01's
 * domain XML, the kernel's AppArmor status files and what the profiles include from the
 * apparmor package (taken from this machine at test time), so the real apparmor_parser can
 * compile what svirtctl writes there.
 */
public final class DebianRoot {

  /** web01's UUID, as its domain XML gives it. */
  public static final String WEB01 = "5b3a1c1e-8a51-4d7c-9a77-0123456789ab";

  private DebianRoot() {}

  /** Builds the tree at {@code root}. */
  public static void build(Path root) throws IOException {
    Path fixtures = Fixtures.root();
    Trees.copy(fixtures.resolve("libvirt/debian12-9.0.0"), root);
    for (String dir : new String[] {"tunables", "abstractions", "abi"}) {
      Path system = Path.of("/etc/apparmor.d", dir);
      if (Files.isDirectory(system)) {
        Trees.copy(system, root.resolve("etc/apparmor.d").resolve(dir));
      }
    }
    // libvirt's own abstractions are the fixture's (copied over the system's above).
    Trees.copy(fixtures.resolve("libvirt/debian12-9.0.0/etc/apparmor.d/abstractions"),
        root.resolve("etc/apparmor.d/abstractions"));
    // Created empty by Debian's postinst: every local include the packaged profiles make.
    for (String name : new String[] {"abstractions/libvirt-qemu", "abstractions/libvirt-lxc",
        "usr.sbin.libvirtd", "usr.lib.libvirt.virt-aa-helper"}) {
      Path local = root.resolve("etc/apparmor.d/local").resolve(name);
      Files.createDirectories(local.getParent());
      Files.writeString(local, "");
    }
    Path domains = root.resolve("etc/libvirt/qemu");
    Files.createDirectories(domains);
    Files.copy(fixtures.resolve("libvirt/virt-aa-helper-9.0.0-output/input-domain.xml"),
        domains.resolve("web01.xml"));
    Path kernel = root.resolve("sys/kernel/security/apparmor/profiles");
    Files.createDirectories(kernel.getParent());
    Files.writeString(kernel, "libvirtd (enforce)\nvirt-aa-helper (enforce)\n");
    Path enabled = root.resolve("sys/module/apparmor/parameters/enabled");
    Files.createDirectories(enabled.getParent());
    Files.writeString(enabled, "Y\n");
  }
}
