package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Debian package the build makes: its contents, its control data, and a real install. */
class DebianPackageIT {

  @TempDir Path dir;
  private Path deb;

  @BeforeEach
  void findPackage() throws IOException {
    try (Stream<Path> s = Files.list(ExternalTool.basedir().resolve("target"))) {
      List<Path> debs =
          s.filter(p -> p.getFileName().toString().matches("svirtctl_.+_all\\.deb")).toList();
      Assumptions.assumeFalse(debs.isEmpty(), "no target/svirtctl_*_all.deb: run mvn package");
      assertThat(debs).as("one package in target/").hasSize(1);
      deb = debs.get(0);
    }
  }

  private ExternalTool.Run run(String... cmd) throws IOException, InterruptedException {
    return ExternalTool.run(List.of(cmd), dir, Map.of(), Optional.empty());
  }

  @Test
  void contentsListTheLauncherJarManPagesCompletionAndUnits()
      throws IOException, InterruptedException {
    String dpkgDeb = ExternalTool.require("dpkg-deb", "dpkg").toString();
    ExternalTool.Run contents = run(dpkgDeb, "--contents", deb.toString());
    assertThat(contents.code()).as(contents.both()).isZero();
    assertThat(contents.out())
        .containsPattern("-rwxr-xr-x root/root .* \\./usr/bin/svirtctl\\n")
        .contains("./usr/share/svirtctl/svirtctl.jar")
        .contains("./usr/share/man/man1/svirtctl.1.gz")
        .contains("./usr/share/man/man1/svirtctl-apply.1.gz")
        .contains("./usr/share/man/man1/svirtctl-hook.1.gz")
        .contains("./usr/share/bash-completion/completions/svirtctl")
        .contains("./lib/systemd/system/svirtctl-gitops.service")
        .contains("./lib/systemd/system/svirtctl-gitops.timer")
        .containsPattern("-rwxr-xr-x root/root .* \\./usr/libexec/svirtctl/svirtctl-gitops\\n")
        .contains("./usr/share/doc/svirtctl/copyright")
        .contains("./usr/share/doc/svirtctl/changelog.gz")
        .contains("./usr/share/svirtctl/svirtctl.classlist")
        // The module is in the Ansible collection, on the controller.
        .doesNotContain("ansible");

    ExternalTool.Run fields = run(dpkgDeb, "--field", deb.toString(), "Package", "Architecture", "Depends");
    assertThat(fields.out())
        .contains("Package: svirtctl")
        .contains("Architecture: all")
        .contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless");
    ExternalTool.Run control = run(dpkgDeb, "--info", deb.toString());
    assertThat(control.out())
        .contains("Maintainer: svirtctl maintainers <maintainers@svirtctl.example.org>")
        .contains(" postinst ")
        .contains(" prerm ")
        .contains(" postrm ")
        .contains(" triggers ");
  }

  @Test
  void lintianFindsNoErrorAndNoWarning() throws IOException, InterruptedException {
    String lintian = ExternalTool.require("lintian", "lintian").toString();
    ExternalTool.Run run = run(lintian, "--tag-display-limit", "0", deb.toString());

    assertThat(run.both()).doesNotContainPattern("(?m)^[EW]: ");
    assertThat(run.code()).as(run.both()).isZero();
  }

  /** dpkg on a scratch root, its maintainer scripts run outside a chroot with DPKG_ROOT set. */
  private ExternalTool.Run dpkg(Path scratch, String... args) throws IOException, InterruptedException {
    String dpkg = ExternalTool.require("dpkg", "dpkg").toString();
    List<String> cmd = new java.util.ArrayList<>(
        List.of(dpkg, "--root=" + scratch, "--force-script-chrootless"));
    cmd.addAll(List.of(args));
    // postinst dumps the class-data sharing archive with this runtime, as with the installed one.
    return ExternalTool.run(cmd, dir,
        Map.of("JAVA_HOME", Path.of(ExternalTool.java()).getParent().getParent().toString()),
        Optional.empty());
  }

  @Test
  void installsIntoAScratchRootRunsWithItsArchiveAndPurgesClean()
      throws IOException, InterruptedException {
    ExternalTool.require("deb-systemd-helper", "init-system-helpers");
    Path scratch = dir.resolve("scratch");
    Path admin = Files.createDirectories(scratch.resolve("var/lib/dpkg"));
    Files.createDirectories(admin.resolve("info"));
    Files.createDirectories(admin.resolve("updates"));
    Files.writeString(admin.resolve("available"), "");
    // A stand-in Java runtime in the scratch root's database satisfies Depends.
    Files.writeString(admin.resolve("status"),
        "Package: default-jre-headless\nStatus: install ok installed\nPriority: optional\n"
            + "Section: java\nMaintainer: svirtctl test <test@localhost>\nArchitecture: all\n"
            + "Version: 2:1.17-75\nDescription: stand-in for the svirtctl package test\n\n");
    Files.writeString(admin.resolve("info/default-jre-headless.list"), "");

    ExternalTool.Run install = dpkg(scratch, "-i", deb.toString());
    assertThat(install.code()).as(install.both()).isZero();
    assertThat(install.err()).as(install.both()).doesNotContain("no class-data sharing archive");
    assertThat(dpkg(scratch, "-s", "svirtctl").out()).contains("Status: install ok installed");

    Path launcher = scratch.resolve("usr/bin/svirtctl");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher)))
        .isEqualTo("rwxr-xr-x");
    Path archive = scratch.resolve("var/cache/svirtctl/svirtctl.jsa");
    assertThat(archive).isRegularFile();
    // The launcher maps the archive postinst made; with -Xshare:on instead of auto, the JVM
    // would refuse to start if it could not use it (another jar path, another runtime).
    Path args = dir.resolve("java-args");
    Path java = dir.resolve("java");
    Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + args + "'\n"
        + "for a; do shift; [ \"$a\" = -Xshare:auto ] && a=-Xshare:on; set -- \"$@\" \"$a\"; done\n"
        + "exec '" + ExternalTool.java() + "' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ExternalTool.Run version =
        ExternalTool.run(List.of(launcher.toString(), "--version"), dir,
            Map.of("JAVA", java.toString()), Optional.empty());
    assertThat(version.code()).as(version.both()).isZero();
    assertThat(version.out()).startsWith("svirtctl ");
    assertThat(Files.readAllLines(args))
        .contains("-XX:SharedArchiveFile=" + archive, "-jar",
            scratch.resolve("usr/share/svirtctl/svirtctl.jar").toString());

    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(scratch.resolve("usr/share/man/man1/svirtctl-apply.1.gz")))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .startsWith(".TH \"SVIRTCTL-APPLY\" 1")
          .contains("\\fB\\-\\-check\\fR");
    }
    assertThat(Files.readString(scratch.resolve("usr/share/bash-completion/completions/svirtctl")))
        .contains("complete -F");
    // Disabled by default: no unit is linked into a target, but the units are registered so
    // that purge cleans up after them.
    assertThat(scratch.resolve("etc/systemd/system/timers.target.wants")).doesNotExist();
    Path dshState = scratch.resolve("var/lib/systemd/deb-systemd-helper-enabled");
    assertThat(dshState.resolve("svirtctl-gitops.timer.dsh-also")).isRegularFile();

    ExternalTool.Run purge = dpkg(scratch, "--purge", "svirtctl");
    assertThat(purge.code()).as(purge.both()).isZero();
    assertThat(archive).doesNotExist();
    assertThat(scratch.resolve("var/cache/svirtctl")).doesNotExist();
    assertThat(dshState.resolve("svirtctl-gitops.timer.dsh-also")).doesNotExist();
    assertThat(scratch.resolve("etc/systemd/system/svirtctl-gitops.timer")).doesNotExist();
    assertThat(dpkg(scratch, "-s", "svirtctl").out()).doesNotContain("install ok installed");
  }

  @Test
  void refusesToConfigureWithoutAJavaRuntime() throws IOException, InterruptedException {
    String dpkg = ExternalTool.require("dpkg", "dpkg").toString();
    Path scratch = dir.resolve("bare");
    Path admin = Files.createDirectories(scratch.resolve("var/lib/dpkg"));
    Files.createDirectories(admin.resolve("info"));
    Files.createDirectories(admin.resolve("updates"));
    Files.writeString(admin.resolve("status"), "");

    ExternalTool.Run install = run(dpkg, "--root=" + scratch, "-i", deb.toString());

    assertThat(install.code()).isNotZero();
    assertThat(install.err()).contains("java17-runtime-headless");
  }
}
