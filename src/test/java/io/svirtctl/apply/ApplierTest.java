package io.svirtctl.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.OperationFailedException;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.FileOperation;
import io.svirtctl.plan.Plan;
import io.svirtctl.plan.Planner;
import io.svirtctl.plan.QemuKeyChange;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.state.HostState;
import io.svirtctl.state.StateLoader;
import io.svirtctl.testing.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplierTest {

  @TempDir Path root;
  private HostLayout layout;
  private ApparmorParser noParser;

  @BeforeEach
  void demoHost() throws Exception {
    Trees.copy(Trees.DEMO, root);
    layout =
        new HostLayout(root, Path.of("/etc/libvirt/qemu.conf"), Path.of("/etc/apparmor.d"),
            Path.of("/etc/libvirt"), Path.of("/var/lib/svirtctl"), Path.of("/nonexistent/apparmor_parser"),
            Duration.ofSeconds(5), Duration.ofSeconds(30));
    noParser = new ApparmorParser(layout.apparmorParser(), layout.parserTimeout());
  }

  private Plan plan(String yaml) {
    HostState desired =
        StateLoader.load("state.yaml",
            ("apiVersion: svirtctl/v1\nkind: Host\n" + yaml).getBytes(StandardCharsets.UTF_8),
            Optional.of("hv"), "hv");
    return Planner.plan(desired, SnapshotReader.read(layout), KernelStatus.read(layout));
  }

  @Test
  void aFileChangedAfterPlanningIsRefusedAndNothingIsWritten() throws Exception {
    Plan plan = plan("qemu_conf:\n  security_driver: apparmor\napparmor:\n  guests:\n    list:\n      db01: {mode: complain}\n");
    assertThat(plan.files()).hasSize(2);
    Path profile = root.resolve("etc/apparmor.d/libvirt/libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb");
    Files.writeString(profile, Files.readString(profile) + "# an admin edits while we plan\n");
    SortedMap<String, byte[]> before = Trees.snapshot(root);

    assertThatThrownBy(() -> new Applier(layout, noParser, Clock.systemUTC()).apply(plan, "test", false))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage(
            "/etc/apparmor.d/libvirt/libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb changed since the plan was made; nothing was written, run again");
    assertThat(Trees.snapshot(root)).containsExactlyEntriesOf(before);
    assertThat(Journal.list(layout)).isEmpty();
  }

  @Test
  void aPlanThatWouldWriteOutsideTheManagedFilesIsRefused() {
    Path shadow = Path.of("/etc/shadow");
    Plan evil =
        new Plan("hv",
            List.of(new QemuKeyChange(shadow, "x", Optional.empty(), Optional.of(QemuValue.Int.of(1)), 0)),
            List.of(new FileOperation(shadow, Optional.of(Fingerprint.ABSENT), Optional.empty(),
                Optional.of("root::0:0:99999:7:::\n"), false)),
            List.of(), List.of(), List.of(), new TreeMap<>());
    assertThatThrownBy(() -> new Applier(layout, noParser, Clock.systemUTC()).apply(evil, "test", false))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("refusing to write /etc/shadow: not a file svirtctl manages");
    assertThat(root.resolve("etc/shadow")).doesNotExist();
  }

  @Test
  void withoutAParserTheApplyWarnsThatProfilesWereNotChecked() {
    HostState desired =
        StateLoader.load("state.yaml",
            "apiVersion: svirtctl/v1\nkind: Host\napparmor:\n  guests:\n    list:\n      db01: {mode: complain}\n"
                .getBytes(StandardCharsets.UTF_8),
            Optional.of("hv"), "hv");
    Reconciler.Report r = new Reconciler(layout, noParser, Clock.systemUTC()).apply(desired, "test", false, false);
    assertThat(r.plan().warnings()).containsExactly(
        "/nonexistent/apparmor_parser is not installed: 1 AppArmor file(s) written without a syntax check");
    assertThat(r.result().orElseThrow().runId()).isPresent();
    assertThat(Journal.list(layout)).hasSize(1);
  }
}
