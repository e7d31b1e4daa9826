package io.svirtctl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.state.GuestRef;
import io.svirtctl.state.GuestSpec;
import io.svirtctl.state.HostState;
import io.svirtctl.state.QemuSetting;
import io.svirtctl.testing.MemoryHost;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The exporter on snapshots held in memory: what it keeps, what it leaves out, and that it converges. */
class ExporterTest {

  static final Uuid WEB = PlannerTest.WEB;
  static final Uuid GONE = PlannerTest.GONE;

  /** A host as an admin left it: odd qemu.conf lines, a managed template block, guests. */
  static MemoryHost lived() {
    MemoryHost host = MemoryHost.stock()
        .file(PlannerTest.QEMU_CONF, "# comment\nsecurity_driver = \"apparmor\"\n"
            + "user = \"qemu\"\nuser = \"root\"\nno_such_key = 1\nvnc_listen = \"0.0.0.0\"\n")
        .guest("web01", WEB, true)
        .profile(GONE, MemoryHost.libvirtProfile(GONE, ", complain"));
    HostState rules = PlannerTest.state(
        "apparmor:\n  template:\n    rules: ['/srv/all r,']\n  site_rules: ['/srv/iso/** r,']\n"
            + "  guests:\n    list:\n      web01:\n        rules: ['/srv/web/** r,']\n");
    PlannerTest.applyTo(host, Planner.plan(rules, host.snapshot(), PlannerTest.NO_KERNEL));
    return host;
  }

  @Test
  void exportsWhatSvirtctlCanExpressAndLeavesTheRestOut() {
    HostState exported = Exporter.export(lived().snapshot(), "h1");

    assertThat(exported.host()).isEqualTo("h1");
    assertThat(exported.qemuConf()).extracting(QemuSetting::key)
        .as("user is set twice, no_such_key is not libvirt's").containsExactly("security_driver", "vnc_listen");
    assertThat(exported.qemuConf().get(0).value()).contains(new QemuValue.Str("apparmor"));
    assertThat(exported.policy().allowUnconfined()).isFalse();
    assertThat(exported.apparmor().template().orElseThrow().flags()).contains(List.of("attach_disconnected"));
    assertThat(exported.apparmor().template().orElseThrow().rules()).contains(List.of("/srv/all r,"));
    assertThat(exported.apparmor().siteRules()).contains(List.of("/srv/iso/** r,"));
    assertThat(exported.apparmor().guests().hook()).isFalse();
    assertThat(exported.apparmor().guests().list())
        .extracting(GuestSpec::ref, GuestSpec::mode, GuestSpec::rules)
        .as("the template's rules are not repeated; GONE's block lacks them, so listing it would change it")
        .containsExactly(tuple(new GuestRef.ByName("web01"), Optional.of(Mode.ENFORCE),
            Optional.of(List.of("/srv/web/** r,"))));
  }

  @Test
  void aProfileWithoutDomainXmlIsExportedByUuidInItsMode() {
    HostSnapshot snap = MemoryHost.stock().profile(GONE, MemoryHost.libvirtProfile(GONE, ", complain")).snapshot();
    HostState exported = Exporter.export(snap, "h1");
    assertThat(exported.apparmor().guests().list())
        .extracting(GuestSpec::ref, GuestSpec::mode, GuestSpec::rules)
        .containsExactly(tuple(new GuestRef.ByUuid(GONE), Optional.of(Mode.COMPLAIN), Optional.empty()));
    assertThat(Planner.plan(exported, snap, PlannerTest.NO_KERNEL).changes()).isEmpty();
  }

  @Test
  void planningTheExportOnTheSameHostChangesNothing() {
    HostSnapshot snap = lived().guest("db01", PlannerTest.DB, false).snapshot();
    Plan plan = Planner.plan(Exporter.export(snap, "h1"), snap, new KernelStatus(true, Map.of()));
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.files()).isEmpty();
  }

  @Test
  void anUnconfinedHostExportsTheOptOutItNeeds() {
    HostSnapshot snap = MemoryHost.stock()
        .file(PlannerTest.QEMU_CONF, "security_driver = \"none\"\n").snapshot();
    HostState exported = Exporter.export(snap, "h1");
    assertThat(exported.policy().allowUnconfined()).isTrue();
    assertThat(Planner.plan(exported, snap, PlannerTest.NO_KERNEL).changes()).isEmpty();
  }

  @Test
  void anInstalledHookIsKeptWithTheDefaultModeItRestores() {
    MemoryHost host = MemoryHost.stock().guest("web01", WEB, true);
    PlannerTest.applyTo(host, PlannerTest.plan(
        "apparmor:\n  guests:\n    hook: true\n    default_mode: complain\n", host));
    HostSnapshot snap = host.snapshot();
    HostState exported = Exporter.export(snap, "h1");
    assertThat(exported.apparmor().guests().hook()).isTrue();
    assertThat(exported.apparmor().guests().defaultMode()).contains(Mode.COMPLAIN);
    assertThat(Planner.plan(exported, snap, PlannerTest.NO_KERNEL).changes()).isEmpty();
  }
}
