package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunRecord;
import io.svirtctl.apply.RunStatus;
import io.svirtctl.cli.CliRun;
import io.svirtctl.host.CrashSeam;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 11, rollback surprises: {@code rollback <older id>} silently undid every later
 * run; after {@code kill -9} during a rollback a plain {@code rollback} undid the partial rollback
 * instead of finishing it; files the run had created were deleted but printed as "restored"; an
 * unknown id exited 1. Also: profile-mode is a journaled run that rollback undoes.
 */
class RollbackIT {

  private static final String WEB01 =
      "/etc/apparmor.d/libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  private static final String BUILD01 =
      "/etc/apparmor.d/libvirt/libvirt-c0ffee00-1234-4cde-8f00-5566778899aa";

  @TempDir Path tmp;
  private Path root;
  private Map<String, String> env;
  private SortedMap<String, byte[]> pristine;

  @BeforeEach
  void demo() throws IOException {
    root = TestHosts.copyDemo(tmp);
    env = FakeParser.install(tmp.resolve("parser"));
    pristine = managed();
  }

  private SortedMap<String, byte[]> managed() {
    return Trees.managed(Trees.snapshot(root));
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--root", root.toString()));
    return CliRun.run(env, "", all.toArray(String[]::new));
  }

  private String apply() {
    CliRun r = run("apply", "-f", TestHosts.demoSource().resolveSibling("state.yaml").toString(),
        "--host", "demo-hv01", "--no-reload");
    assertThat(r.exitCode()).as(r.err()).isZero();
    return newest().id();
  }

  private RunRecord newest() {
    return Journal.list(TestHosts.layout(root)).get(0);
  }

  private static void same(SortedMap<String, byte[]> actual, SortedMap<String, byte[]> expected) {
    assertThat(CrashConsistencyIT.text(actual)).isEqualTo(CrashConsistencyIT.text(expected));
  }

  @Test
  void anOlderRunIsRolledBackOnlyWithTheRunsAfterItAndProfileModeIsOneOfThem() {
    String applied = apply();
    SortedMap<String, byte[]> afterApply = managed();
    CliRun complain = run("profile-mode", "complain", WEB01, "--no-reload");
    assertThat(complain.exitCode()).as(complain.err()).isZero();
    String switched = newest().id();
    assertThat(newest().command()).startsWith("profile-mode complain");
    assertThat(run("history").out()).contains("profile-mode complain " + WEB01);
    SortedMap<String, byte[]> afterSwitch = managed();

    CliRun refused = run("rollback", applied, "--no-reload");
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
    assertThat(refused.err().strip()).isEqualTo("svirtctl: refusing to roll back run " + applied
        + ": later run(s) " + switched + " changed files after it; roll them back first, or add"
        + " --including-later to roll them back too");
    same(managed(), afterSwitch);

    CliRun undoSwitch = run("rollback", "--no-reload");
    assertThat(undoSwitch.exitCode()).as(undoSwitch.err()).isZero();
    assertThat(undoSwitch.out()).contains("restored: " + WEB01 + "\n");
    same(managed(), afterApply);

    CliRun all = run("rollback", applied, "--including-later", "--no-reload");
    assertThat(all.exitCode()).as(all.err()).isZero();
    same(managed(), pristine);
  }

  @Test
  void aPlainRollbackAfterAnInterruptedRollbackFinishesIt() {
    String applied = apply();
    SortedMap<String, byte[]> afterApply = managed();
    // Halted after its first rename: journal run created (4), previous bytes journaled (4),
    // new contents staged (1), one file renamed back (1).
    JarRun killed = JarRun.finish(JarRun.start(List.of("-D" + CrashSeam.PROPERTY + "=10"), env,
        "rollback", applied, "--no-reload", "--root", root.toString()));
    assertThat(killed.code()).as(killed.err()).isEqualTo(CrashSeam.HALT_STATUS);
    SortedMap<String, byte[]> half = managed();
    assertThat(CrashConsistencyIT.text(half))
        .isNotEqualTo(CrashConsistencyIT.text(pristine))
        .isNotEqualTo(CrashConsistencyIT.text(afterApply));
    assertThat(newest().status()).isEqualTo(RunStatus.INCOMPLETE);
    assertThat(newest().command()).isEqualTo("rollback " + applied);

    CliRun finish = run("rollback", "--no-reload");

    assertThat(finish.exitCode()).as(finish.err()).isZero();
    assertThat(finish.out()).contains("Rolled back run " + applied + " as run ");
    same(managed(), pristine);
  }

  @Test
  void filesTheRunCreatedAreReportedDeletedAndTheOthersRestored() {
    String applied = apply();
    CliRun r = run("rollback", "--no-reload");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("deleted: " + BUILD01 + "\n")
        .doesNotContain("restored: " + BUILD01)
        .contains("restored: /etc/libvirt/qemu.conf\n")
        .contains("Rolled back run " + applied + " as run ");
    assertThat(root.resolve(BUILD01.substring(1))).doesNotExist();
    same(managed(), pristine);
  }

  @Test
  void anUnknownIdExits65AndListsTheKnownOnes() {
    String applied = apply();
    SortedMap<String, byte[]> before = managed();
    for (String id : List.of("20000101T000000Z-0000", "not-an-id")) {
      CliRun r = run("rollback", id, "--no-reload");
      assertThat(r.exitCode()).as(r.err()).isEqualTo(65);
      assertThat(r.out()).isEmpty();
      assertThat(r.err().strip()).isEqualTo(
          "svirtctl: " + id + ": no such run in the journal; known runs: " + applied);
    }
    same(managed(), before);
  }
}
