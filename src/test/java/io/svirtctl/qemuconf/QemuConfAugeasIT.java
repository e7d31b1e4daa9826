package io.svirtctl.qemuconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.svirtctl.Fixtures;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each edit of Debian 12's qemu.conf gives a file that libvirt's own augeas lens (9.0.0 as
 * Debian ships it, and 11.3.0) still parses, and the lens reads back the value we set. The lens
 * accepts only a subset of what libvirt does, so this checks that edits stay in that subset.
 */
class QemuConfAugeasIT {

  private static final String FILE = "/etc/libvirt/qemu.conf";
  private static final List<String> ACL =
      List.of("/dev/null", "/dev/full", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/ptmx",
          "/dev/kvm");

  private static Path augtool;

  @BeforeAll
  static void findAugtool() {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(d -> !d.isEmpty())
            .map(d -> Path.of(d, "augtool"))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      if ("1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS"))) {
        fail("augtool is not installed but SVIRTCTL_REQUIRE_TOOLS=1 (install augeas-tools)");
      }
      assumeTrue(false, "augtool is not installed (Debian package augeas-tools)");
    }
    augtool = found.get();
  }

  /** One edit and what augtool must read afterwards ({@code match} lines, relative to the file). */
  private record Edit(String name, UnaryOperator<QemuConfDocument> apply, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Object[]> edits() {
    List<Edit> edits =
        List.of(
            new Edit(
                "security_driver = apparmor",
                d -> d.set("security_driver", new QemuValue.Str("apparmor")),
                List.of("security_driver = apparmor")),
            new Edit(
                "security_default_confined = 1",
                d -> d.set("security_default_confined", QemuValue.Int.of(1)),
                List.of("security_default_confined = 1")),
            new Edit(
                "security_require_confined = 1",
                d -> d.set("security_require_confined", QemuValue.Int.of(1)),
                List.of("security_require_confined = 1")),
            new Edit(
                "cgroup_device_acl list",
                d -> d.set("cgroup_device_acl", QemuValue.Lst.ofStrings(ACL)),
                aclLines()),
            new Edit(
                "max_core (only a commented default)",
                d -> d.set("max_core", new QemuValue.Str("unlimited")),
                List.of("max_core = unlimited")),
            new Edit(
                "set user then unset it",
                d ->
                    d.set("user", new QemuValue.Str("libvirt-qemu"))
                        .set("security_driver", new QemuValue.Str("none"))
                        .unset("user"),
                List.of("security_driver = none")),
            new Edit(
                "all security keys together, set twice",
                d -> all(all(d)),
                Stream.concat(
                        Stream.of(
                            "security_driver = apparmor",
                            "security_default_confined = 1",
                            "security_require_confined = 1"),
                        aclLines().stream())
                    .toList()));
    List<Object[]> args = new ArrayList<>();
    for (String lens :
        List.of("libvirt/debian12-9.0.0/usr/share/augeas/lenses", "libvirt/upstream-11.3.0")) {
      for (Edit e : edits) {
        args.add(new Object[] {lens.contains("debian12") ? "lens 9.0.0" : "lens 11.3.0", lens, e});
      }
    }
    return args.stream();
  }

  private static QemuConfDocument all(QemuConfDocument d) {
    return d.set("security_driver", new QemuValue.Str("apparmor"))
        .set("security_default_confined", QemuValue.Int.of(1))
        .set("security_require_confined", QemuValue.Int.of(1))
        .set("cgroup_device_acl", QemuValue.Lst.ofStrings(ACL));
  }

  private static List<String> aclLines() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ACL.size(); i++) {
      out.add("cgroup_device_acl/" + (i + 1) + " = " + ACL.get(i));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("edits")
  void lensParsesTheEditedFileAndReadsTheValue(
      String lensName, String lensDir, Edit edit, @TempDir Path root)
      throws IOException, InterruptedException {
    Path debian = Fixtures.path("libvirt/debian12-9.0.0/etc/libvirt/qemu.conf");
    QemuConfDocument before = QemuConfDocument.parse(debian.toString(), Files.readString(debian));
    QemuConfDocument after = edit.apply().apply(before);
    assertThat(after.text()).isNotEqualTo(before.text());

    Path conf = root.resolve("etc/libvirt/qemu.conf");
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, after.text());

    List<String> keys =
        List.of("security_driver", "security_default_confined", "security_require_confined",
            "cgroup_device_acl/*", "max_core", "user");
    StringBuilder script = new StringBuilder();
    script.append("print /augeas/files").append(FILE).append("/error\n");
    for (String k : keys) {
      script.append("match /files").append(FILE).append('/').append(k).append('\n');
    }
    String out = augtool(root, Fixtures.path(lensDir), script.toString());

    assertThat(out).as("augtool output").doesNotContain("/error");
    List<String> matched =
        out.lines()
            .filter(l -> l.startsWith("/files" + FILE + "/"))
            .map(l -> l.substring(("/files" + FILE + "/").length()))
            .toList();
    assertThat(matched).containsExactlyInAnyOrderElementsOf(edit.expected());
  }

  private static String augtool(Path root, Path lensDir, String commands)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
            augtool.toString(), "-r", root.toString(), "-I", lensDir.toString(), "--noautoload");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      String script =
          "set /augeas/load/Libvirtd_qemu/lens Libvirtd_qemu.lns\n"
              + "set /augeas/load/Libvirtd_qemu/incl " + FILE + "\n"
              + "load\n"
              + commands;
      in.write(script.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("augtool did not finish");
    }
    assertThat(p.exitValue()).as("augtool exit status; output:\n%s", out).isZero();
    return out;
  }
}
