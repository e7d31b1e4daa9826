package io.svirtctl.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A scratch copy of the demo host for the trust-boundary tests: runs svirtctl on it in-process
 * with the fake apparmor_parser, and compares the whole tree before and after.
 */
final class TrustRoot {

  static final String GUEST_WEB01 =
      "etc/apparmor.d/libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  /** The demo's profile with no domain XML: prune: true deletes it unless its guest is live. */
  static final String ORPHAN_UUID = "0e0e0e0e-dead-4bee-8fee-0e0e0e0e0e0e";
  static final String ORPHAN = "etc/apparmor.d/libvirt/libvirt-" + ORPHAN_UUID;
  static final String QEMU_CONF = "etc/libvirt/qemu.conf";

  final Path dir;
  final Path root;
  final Path state;
  final Map<String, String> env;

  TrustRoot(Path dir) {
    this.dir = dir;
    this.root = TestHosts.copyDemo(dir);
    this.state = TestHosts.demoSource().resolveSibling("state.yaml");
    try {
      this.env = FakeParser.install(dir.resolve("parser"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CliRun run(String... args) {
    return CliRun.run(env, "", withRoot(args));
  }

  CliRun runWithInput(String stdin, String... args) {
    return CliRun.run(env, stdin, withRoot(args));
  }

  private String[] withRoot(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    int dashes = all.indexOf("--");
    all.addAll(dashes < 0 ? all.size() : dashes, List.of("--root", root.toString()));
    return all.toArray(String[]::new);
  }

  CliRun plan(String... extra) {
    List<String> args = new ArrayList<>(List.of("plan", "-f", state.toString(), "--host", "demo-hv01"));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  CliRun apply(String... extra) {
    List<String> args = new ArrayList<>(List.of("apply", "-f", state.toString(), "--host", "demo-hv01"));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  Path path(String relative) {
    return root.resolve(relative);
  }

  void write(String relative, String text) {
    try {
      Path p = root.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String relative) {
    try {
      return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every regular file of the root except svirtctl's own state directory. */
  SortedMap<String, byte[]> managed() {
    return Trees.managed(Trees.snapshot(root));
  }

  /** Every regular file of the root, the state directory included. */
  SortedMap<String, byte[]> everything() {
    return Trees.snapshot(root);
  }

  static void assertSameTree(SortedMap<String, byte[]> after, SortedMap<String, byte[]> before) {
    assertThat(Trees.asText(after)).isEqualTo(Trees.asText(before));
  }

  /** libvirt's status XML of a running guest: {@code <domstatus>} around the {@code <domain>}. */
  static String statusXml(String name, String uuid, String state) {
    return "<domstatus state='" + state + "' reason='booted' pid='4242'>\n"
        + "  <taint flag='high-privileges'/>\n"
        + "  <monitor path='/var/lib/libvirt/qemu/domain-7-" + name + "/monitor.sock' type='unix'/>\n"
        + "  <vcpus>\n    <vcpu id='0' pid='4250'/>\n  </vcpus>\n"
        + "  <domain type='kvm' id='7'>\n"
        + "    <name>" + name + "</name>\n"
        + "    <uuid>" + uuid + "</uuid>\n"
        + "    <memory unit='KiB'>1048576</memory>\n"
        + "    <seclabel type='dynamic' model='apparmor' relabel='yes'>\n"
        + "      <label>libvirt-" + uuid + "</label>\n"
        + "    </seclabel>\n"
        + "  </domain>\n"
        + "</domstatus>\n";
  }

  static void mkfifo(Path p) {
    try {
      Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
      assertThat(mk.waitFor()).as("mkfifo").isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
