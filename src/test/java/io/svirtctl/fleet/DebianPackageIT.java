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
        .containsPattern("-rwxr-xr-x root/root .* \\./usr/lib/svirtctl/svirtctl-gitops\\n");

    ExternalTool.Run fields = run(dpkgDeb, "--field", deb.toString(), "Package", "Architecture", "Depends");
    assertThat(fields.out())
        .contains("Package: svirtctl")
        .contains("Architecture: all")
        .contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless");
    // No maintainer scripts: nothing is enabled or started at install.
    ExternalTool.Run control = run(dpkgDeb, "--ctrl-tarfile", deb.toString());
    assertThat(control.out()).doesNotContain("postinst");
  }

  @Test
  void installsIntoAScratchRootAndRuns() throws IOException, InterruptedException {
    String dpkg = ExternalTool.require("dpkg", "dpkg").toString();
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

    ExternalTool.Run install = run(dpkg, "--root=" + scratch, "-i", deb.toString());
    assertThat(install.code()).as(install.both()).isZero();
    ExternalTool.Run status = run(dpkg, "--root=" + scratch, "-s", "svirtctl");
    assertThat(status.out()).contains("Status: install ok installed");

    Path launcher = scratch.resolve("usr/bin/svirtctl");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher)))
        .isEqualTo("rwxr-xr-x");
    // The launcher finds the jar beside it in ../share/svirtctl.
    ExternalTool.Run version =
        ExternalTool.run(List.of(launcher.toString(), "--version"), dir,
            Map.of("JAVA", ExternalTool.java()), Optional.empty());
    assertThat(version.code()).as(version.both()).isZero();
    assertThat(version.out()).startsWith("svirtctl ");
    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(scratch.resolve("usr/share/man/man1/svirtctl-apply.1.gz")))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .startsWith(".TH \"SVIRTCTL-APPLY\" 1")
          .contains("\\fB\\-\\-check\\fR");
    }
    assertThat(Files.readString(scratch.resolve("usr/share/bash-completion/completions/svirtctl")))
        .contains("complete -F");
    // Disabled by default: no unit is linked into a target.
    assertThat(scratch.resolve("etc/systemd/system/timers.target.wants")).doesNotExist();
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
