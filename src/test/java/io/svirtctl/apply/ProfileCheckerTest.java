package io.svirtctl.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import io.svirtctl.TestHosts;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.FileOperation;
import io.svirtctl.plan.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCheckerTest {

  @TempDir Path root;
  @TempDir Path tools;

  private Path log;
  private ProfileChecker checker;

  /**
   * A parser that logs each file it is asked to check and refuses a text holding BROKEN or a
   * guest's .files include, as a parser without that file would.
   */
  @BeforeEach
  void parser() throws IOException {
    log = tools.resolve("checked.log");
    Path script = tools.resolve("apparmor_parser");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "for f in \"$@\"; do last=$f; done\n"
            + "echo \"$last\" >> '" + log + "'\n"
            + "if grep -q -e BROKEN -e '#include <libvirt/' \"$last\"; then\n"
            + "  echo \"AppArmor parser error at line 2: refused\" >&2; exit 1\n"
            + "fi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    checker =
        new ProfileChecker(
            TestHosts.layout(root),
            new ApparmorParser(script, Duration.ofSeconds(30), Optional.empty()));
  }

  private static String uuid(int i) {
    return String.format("5b3a1c1e-8a51-4d7c-9a77-%012x", i);
  }

  private static FileOperation guest(int i, String rules) {
    String name = "libvirt-" + uuid(i);
    String text =
        "#include <tunables/global>\nprofile " + name + " flags=(attach_disconnected,complain) {\n"
            + rules + "  #include <libvirt/" + name + ".files>\n}\n";
    return new FileOperation(
        Path.of("/etc/apparmor.d/libvirt/" + name), Optional.empty(), Optional.empty(),
        Optional.of(text), true);
  }

  private List<String> check(List<FileOperation> ops) {
    Plan plan = new Plan("hv", List.of(), ops, List.of(), List.of(), List.of(), new TreeMap<>());
    return checker.check(plan, SnapshotReader.read(TestHosts.layout(root)), List.of());
  }

  private List<String> checked() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  @Test
  void guestsThatDifferOnlyInTheirUuidAreCompiledOnce() throws IOException {
    List<FileOperation> ops = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ops.add(guest(i, ""));
    }
    assertThat(check(ops)).isEmpty();
    assertThat(checked()).hasSize(1);
  }

  @Test
  void everyDistinctShapeIsCompiled() throws IOException {
    List<FileOperation> ops =
        List.of(
            guest(1, ""),
            guest(2, "  /srv/a/** r,\n"),
            guest(3, ""),
            guest(4, "  /srv/b/** r,\n"),
            guest(5, "  /srv/a/** r,\n"));
    check(ops);
    assertThat(checked()).hasSize(3);
  }

  @Test
  void aRefusedShapeNamesItsProfileAndLibvirtsFilesListIsNotCompiled() {
    List<FileOperation> ops = List.of(guest(1, ""), guest(2, "  BROKEN\n"));
    assertThatThrownBy(() -> check(ops))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("/etc/apparmor.d/libvirt/libvirt-" + uuid(2))
        .hasMessageContaining("refused");
  }
}
