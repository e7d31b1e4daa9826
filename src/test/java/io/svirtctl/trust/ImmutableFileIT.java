package io.svirtctl.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunRecord;
import io.svirtctl.apply.RunStatus;
import io.svirtctl.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 8: an immutable profile ({@code chattr +i}) made apply stop half way: qemu.conf,
 * the template and the site rules were written, then EPERM, exit 1. And rollback rewrote even
 * files whose bytes were already right, so it failed on the same file and left an incomplete
 * rollback run. Now the failed rename stops the run, the files it had replaced are put back and
 * the run is marked rolled back; rollback leaves files that already hold their old bytes alone.
 * Needs root and a file system with the immutable attribute (ext4 here; checked with lsattr).
 */
class ImmutableFileIT {

  private static final String DB01 =
      "etc/apparmor.d/libvirt/libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";

  @TempDir Path tmp;
  private Path immutable;

  @BeforeEach
  void rootWithImmutableFiles() throws Exception {
    assertThat(chattr("+i", tmp.resolve("probe"), true)).as("chattr +i works here").isZero();
    chattr("-i", tmp.resolve("probe"), false);
  }

  @AfterEach
  void mutableAgain() throws Exception {
    if (immutable != null) {
      chattr("-i", immutable, false);
    }
  }

  /** Runs chattr on {@code file} (created first when asked); returns its exit status. */
  private static int chattr(String flag, Path file, boolean create) throws Exception {
    if (create) {
      java.nio.file.Files.writeString(file, "probe\n");
    }
    Process p = new ProcessBuilder("chattr", flag, file.toString()).inheritIO().start();
    return p.waitFor();
  }

  @Test
  void anImmutableProfileStopsApplyAndEveryFileItHadWrittenIsPutBack() throws Exception {
    TrustRoot host = new TrustRoot(tmp);
    SortedMap<String, byte[]> before = host.managed();
    immutable = host.path(DB01);
    assertThat(chattr("+i", immutable, false)).isZero();

    CliRun r = host.apply();

    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("svirtctl: cannot write " + host.path(DB01) + ": Operation not permitted")
        .containsPattern("stopped and put back the [1-9][0-9]* file\\(s\\) it had changed");
    TrustRoot.assertSameTree(host.managed(), before);
    List<RunRecord> runs = Journal.list(TestHosts.layout(host.root));
    assertThat(runs).singleElement().extracting(RunRecord::status).isEqualTo(RunStatus.ROLLED_BACK);
    assertThat(host.run("history").out()).contains("rolled_back");

    chattr("-i", immutable, false);
    CliRun again = host.apply();
    assertThat(again.exitCode()).as(again.err()).isZero();
  }

  @Test
  void rollbackLeavesAFileThatAlreadyHoldsItsOldBytesAloneEvenWhenImmutable() throws Exception {
    TrustRoot host = new TrustRoot(tmp);
    SortedMap<String, byte[]> before = host.managed();
    CliRun apply = host.apply();
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    // The admin puts db01's profile back by hand and protects it.
    host.write(DB01, new String(before.get(DB01), StandardCharsets.UTF_8));
    immutable = host.path(DB01);
    assertThat(chattr("+i", immutable, false)).isZero();

    CliRun rollback = host.run("rollback", "--no-reload");

    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("unchanged: /" + DB01 + "\n")
        .contains("restored: /" + TrustRoot.QEMU_CONF + "\n");
    TrustRoot.assertSameTree(host.managed(), before);
    assertThat(Journal.list(TestHosts.layout(host.root)))
        .allSatisfy(run -> assertThat(run.status()).isEqualTo(RunStatus.COMPLETE));
  }
}
