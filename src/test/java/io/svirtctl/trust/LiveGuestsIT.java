package io.svirtctl.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 10: {@code prune: true} deleted the profile of a running transient guest. A
 * guest is live when it has a persistent XML, a status XML in {@code /run/libvirt/qemu/} or its
 * profile loaded in the kernel; prune keeps its profile and the plan says why.
 */
class LiveGuestsIT {

  private static final String STATUS_XML = "run/libvirt/qemu/ghost.xml";

  @TempDir Path tmp;

  @Test
  void withoutAnyLiveSignTheOrphanIsPrunedSoTheTestsBelowCanFail() {
    TrustRoot host = new TrustRoot(tmp);
    CliRun r = host.apply();
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(host.path(TrustRoot.ORPHAN)).doesNotExist();
  }

  @Test
  void aRunningTransientGuestKeepsItsProfileAndThePlanSaysWhy() {
    for (String state : new String[] {"running", "paused"}) {
      TrustRoot host = new TrustRoot(tmp.resolve(state));
      host.write(STATUS_XML, TrustRoot.statusXml("ghost", TrustRoot.ORPHAN_UUID, state));
      String profile = host.read(TrustRoot.ORPHAN);

      CliRun plan = host.plan();
      assertThat(plan.exitCode()).as(plan.err()).isZero();
      assertThat(plan.out())
          .contains("prune keeps libvirt-" + TrustRoot.ORPHAN_UUID + ": guest ghost is " + state
              + " (transient; /run/libvirt/qemu/ghost.xml)")
          .doesNotContain("- libvirt-" + TrustRoot.ORPHAN_UUID);

      SortedMap<String, byte[]> before = host.managed();
      CliRun apply = host.apply();
      assertThat(apply.exitCode()).as(apply.err()).isZero();
      assertThat(host.path(TrustRoot.ORPHAN)).exists();
      assertThat(host.read(TrustRoot.ORPHAN)).as("kept, and only its mode may be managed")
          .contains("profile libvirt-" + TrustRoot.ORPHAN_UUID);
      assertThat(host.managed().keySet()).containsAll(before.keySet());
      assertThat(profile).isNotEmpty();
    }
  }

  @Test
  void aProfileLoadedInTheKernelIsNeverPruned() {
    TrustRoot host = new TrustRoot(tmp);
    String kernel = host.read("sys/kernel/security/apparmor/profiles");
    host.write("sys/kernel/security/apparmor/profiles",
        kernel + "libvirt-" + TrustRoot.ORPHAN_UUID + " (enforce)\n");

    CliRun plan = host.plan();
    assertThat(plan.out())
        .contains("prune keeps libvirt-" + TrustRoot.ORPHAN_UUID
            + ": its profile is loaded in the kernel");
    CliRun apply = host.apply();
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(host.path(TrustRoot.ORPHAN)).exists();
    assertThat(host.path(TrustRoot.ORPHAN + ".files")).exists();
  }

  @Test
  void doctorAndExportSeeTransientGuests() {
    TrustRoot host = new TrustRoot(tmp);
    host.write(STATUS_XML, TrustRoot.statusXml("ghost", TrustRoot.ORPHAN_UUID, "running"));

    CliRun doctor = host.run("doctor");
    assertThat(doctor.out()).contains("4 defined guest(s)");
    CliRun export = host.run("export");
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).contains("ghost");
  }

  @Test
  void aStatusXmlThatIsAFifoIsRefusedAtOnceNamingIt() throws Exception {
    TrustRoot host = new TrustRoot(tmp);
    Path fifo = host.path(STATUS_XML);
    Files.createDirectories(fifo.getParent());
    TrustRoot.mkfifo(fifo);
    CliRun plan = host.plan();
    assertThat(plan.exitCode()).isEqualTo(1);
    assertThat(plan.err().strip()).isEqualTo(
        "svirtctl: refusing to read " + fifo + ": it is a FIFO, expected a regular file");
  }
}
