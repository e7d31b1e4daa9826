package io.svirtctl.reliability;

import io.svirtctl.TestHosts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A hypervisor with many guests for the reliability tests: the demo host plus generated domains,
 * half of them with a profile libvirt already made (in enforce mode and loaded), half without one.
 * The desired state {@link #STATE_COMPLAIN} then changes more than twenty files.
 */
final class ManyGuests {

  static final String HOST = "demo-hv01";

  /** The demo state with every unlisted guest in complain mode and one more template rule. */
  static final String STATE_COMPLAIN = demoState("complain", "/srv/vm-images/** rwk,");

  /** Another desired state for the same host: enforce, a different template rule. */
  static final String STATE_ENFORCE = demoState("enforce", "/srv/other-images/** rk,");

  private ManyGuests() {}

  /**
   * Copies the demo host to {@code dir/root} and adds {@code withProfile} guests that have a
   * profile and {@code withoutProfile} guests that do not.
   */
  static Path build(Path dir, int withProfile, int withoutProfile) throws IOException {
    Path root = TestHosts.copyDemo(dir);
    Path xmlDir = root.resolve("etc/libvirt/qemu");
    Path profileDir = root.resolve("etc/apparmor.d/libvirt");
    Path loaded = root.resolve("sys/kernel/security/apparmor/profiles");
    for (int i = 0; i < withProfile + withoutProfile; i++) {
      String name = String.format("gen%02d", i);
      String uuid = uuid(i);
      Files.writeString(
          xmlDir.resolve(name + ".xml"),
          "<domain type='kvm'>\n  <name>" + name + "</name>\n  <uuid>" + uuid
              + "</uuid>\n  <memory unit='MiB'>512</memory>\n</domain>\n");
      if (i < withProfile) {
        Files.writeString(profileDir.resolve("libvirt-" + uuid), profile(uuid));
        Files.writeString(
            loaded, "libvirt-" + uuid + " (enforce)\n", StandardOpenOption.APPEND);
      }
    }
    return root;
  }

  static String uuid(int i) {
    return String.format("%08x-5eed-4a11-8b00-%012x", 0xa1000000 + i, 0x100000 + i);
  }

  /** A guest profile as libvirt makes it from the demo template. */
  static String profile(String uuid) {
    return "#\n# svirtctl reliability test guest.\n#\n\n#include <tunables/global>\n\n"
        + "profile libvirt-" + uuid + " flags=(attach_disconnected) {\n"
        + "  #include <abstractions/libvirt-qemu>\n"
        + "  #include <libvirt/libvirt-" + uuid + ".files>\n\n}\n";
  }

  static Path writeState(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static String demoState(String defaultMode, String templateRule) {
    try {
      Path demo = TestHosts.demoSource().resolveSibling("state.yaml");
      String text = Files.readString(demo, StandardCharsets.UTF_8);
      return text.replace("default_mode: enforce", "default_mode: " + defaultMode)
          .replace("\"/srv/vm-images/** rwk,\"", "\"" + templateRule + "\"");
    } catch (IOException e) {
      throw new IllegalStateException("the demo state file is part of the repository", e);
    }
  }
}
