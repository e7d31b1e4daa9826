package io.svirtctl.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.host.Daemon;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.state.HostState;
import io.svirtctl.state.StateLoader;
import io.svirtctl.testing.MemoryHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The planner at its own depth: desired state and a host snapshot built from files held in
 * memory, to the typed changes of the plan. No file system, no applier.
 */
class PlannerTest {

  static final Uuid WEB = Uuid.parse("5b3a1c1e-8a51-4d7c-9a77-0123456789ab").orElseThrow();
  static final Uuid DB = Uuid.parse("9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb").orElseThrow();
  static final Uuid GONE = Uuid.parse("0e0e0e0e-dead-4bee-8fee-0e0e0e0e0e0e").orElseThrow();
  static final KernelStatus NO_KERNEL = new KernelStatus(false, Map.of());
  static final Path QEMU_CONF = MemoryHost.PATHS.qemuConf();
  static final Path TEMPLATE = MemoryHost.PATHS.templateQemu();

  static HostState state(String body) {
    String yaml = "apiVersion: svirtctl/v1\nkind: Host\n" + body;
    return StateLoader.load("state.yaml", yaml.getBytes(StandardCharsets.UTF_8), Optional.of("h"), "h");
  }

  static Plan plan(String body, MemoryHost host) {
    return Planner.plan(state(body), host.snapshot(), NO_KERNEL);
  }

  /** Applies a plan's file operations to the host in memory, as the applier would on disk. */
  static void applyTo(MemoryHost host, Plan plan) {
    for (FileOperation op : plan.files()) {
      if (op.isDelete()) {
        host.without(op.path());
      } else {
        host.file(op.path(), op.after().orElseThrow());
      }
    }
  }

  /** Plans, applies in memory, and checks the second plan is empty: the planner converges. */
  static Plan planConverging(String body, MemoryHost host) {
    Plan first = plan(body, host);
    applyTo(host, first);
    Plan second = plan(body, host);
    assertThat(second.changes()).as("second plan after applying the first").isEmpty();
    assertThat(second.files()).as("second plan writes nothing").isEmpty();
    return first;
  }

  @Test
  void qemuKeysAreCreatedUpdatedAndUnsetWithDuplicatesCounted() {
    MemoryHost host = MemoryHost.stock()
        .file(QEMU_CONF, "#security_driver = \"selinux\"\nvnc_listen = \"0.0.0.0\"\n"
            + "user = \"root\"\nuser = \"qemu\"\n");
    Plan plan = planConverging(
        "qemu_conf:\n  security_driver: apparmor\n  vnc_listen: 127.0.0.1\n  user: null\n", host);

    assertThat(plan.changes()).containsExactlyInAnyOrder(
        new QemuKeyChange(QEMU_CONF, "security_driver", Optional.empty(),
            Optional.of(new QemuValue.Str("apparmor")), 0),
        new QemuKeyChange(QEMU_CONF, "vnc_listen", Optional.of(new QemuValue.Str("0.0.0.0")),
            Optional.of(new QemuValue.Str("127.0.0.1")), 0),
        new QemuKeyChange(QEMU_CONF, "user", Optional.of(new QemuValue.Str("root")),
            Optional.empty(), 1));
    assertThat(plan.changes()).extracting(Change::action)
        .containsExactlyInAnyOrder(Action.CREATE, Action.UPDATE, Action.DELETE);
    assertThat(plan.restartRequired()).containsExactly("libvirtd");
    assertThat(plan.reloads()).isEmpty();
  }

  @Test
  void aQemuChangeOnAModularHostRestartsVirtqemud() {
    MemoryHost host = MemoryHost.stock().daemon(Daemon.VIRTQEMUD).file(QEMU_CONF, "");
    Plan plan = plan("qemu_conf:\n  security_driver: apparmor\n", host);
    assertThat(plan.restartRequired()).containsExactly("virtqemud");
  }

  @Test
  void aHostInSyncPlansNothingButStillFingerprintsItsInputs() {
    MemoryHost host = MemoryHost.stock().file(QEMU_CONF, "security_driver = \"apparmor\"\n");
    Plan plan = plan("qemu_conf:\n  security_driver: apparmor\n", host);
    assertThat(plan.changed()).isFalse();
    assertThat(plan.files()).isEmpty();
    assertThat(plan.inputs()).containsKeys(QEMU_CONF, TEMPLATE);
    assertThat(plan.inputs().get(QEMU_CONF).isAbsent()).isFalse();
    assertThat(plan.inputs().get(MemoryHost.PATHS.templateLegacy()).isAbsent()).isTrue();
  }

  @Test
  void templateFlagsAndRulesChangeAndOnlyRenderReachesExistingProfiles() {
    MemoryHost host = MemoryHost.stock().guest("web01", WEB, true);
    Plan plan = planConverging(
        "apparmor:\n  template:\n    flags: [attach_disconnected, mediate_deleted]\n"
            + "    rules: ['/srv/images/** rwk,']\n", host);

    assertThat(plan.changes()).containsExactly(
        new TemplateFlagsChange(TEMPLATE, List.of("attach_disconnected"),
            List.of("attach_disconnected", "mediate_deleted")),
        RulesChange.template(TEMPLATE, List.of(), List.of("/srv/images/** rwk,")));
    assertThat(plan.changes()).extracting(Change::action).containsExactly(Action.UPDATE, Action.CREATE);
    assertThat(plan.warnings()).anyMatch(w -> w.contains("profiles: render"));
  }

  @Test
  void templateRulesRemovedIsADelete() {
    MemoryHost host = MemoryHost.stock();
    applyTo(host, plan("apparmor:\n  template:\n    rules: ['/srv/a r,']\n", host));
    Plan plan = planConverging("apparmor:\n  template:\n    rules: []\n", host);
    assertThat(plan.changes()).containsExactly(
        RulesChange.template(TEMPLATE, List.of("/srv/a r,"), List.of()));
    assertThat(plan.changes().get(0).action()).isEqualTo(Action.DELETE);
  }

  @Test
  void templateContentCreatesAMissingTemplateAndReplacesAnExistingOne() {
    String content = MemoryHost.TEMPLATE.replace("{\n", "{\n  /srv/** r,\n");
    MemoryHost missing = MemoryHost.stock().without(TEMPLATE);
    Plan created = planConverging(yamlContent(content), missing);
    assertThat(created.changes()).containsExactly(new TemplateContentChange(TEMPLATE, false));
    assertThat(created.changes().get(0).action()).isEqualTo(Action.CREATE);
    assertThat(created.files()).singleElement()
        .satisfies(op -> assertThat(op.profile()).as("checked by the parser first").isTrue());

    Plan replaced = planConverging(yamlContent(content), MemoryHost.stock());
    assertThat(replaced.changes()).containsExactly(new TemplateContentChange(TEMPLATE, true));
    assertThat(replaced.changes().get(0).action()).isEqualTo(Action.UPDATE);
  }

  private static String yamlContent(String content) {
    return "apparmor:\n  template:\n    content: |\n"
        + content.lines().map(l -> l.isEmpty() ? "" : "      " + l).reduce("", (a, b) -> a + b + "\n");
  }

  @Test
  void flagsOnAHostWithoutTemplateAreRefused() {
    MemoryHost host = MemoryHost.stock().without(TEMPLATE);
    assertThatThrownBy(() -> plan("apparmor:\n  template:\n    flags: [attach_disconnected]\n", host))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no sVirt template");
  }

  @Test
  void siteRulesGoToTheLocalIncludeOrTheDropInDirectory() {
    Path local = MemoryHost.PATHS.siteRulesLocal();
    Plan viaLocal = planConverging("apparmor:\n  site_rules: ['/srv/iso/** r,']\n", MemoryHost.stock());
    assertThat(viaLocal.changes()).containsExactly(
        RulesChange.site(local, List.of(), List.of("/srv/iso/** r,")));

    MemoryHost dropIn = MemoryHost.stock().dropInDir(true);
    Path file = MemoryHost.PATHS.siteRulesDropIn();
    Plan created = planConverging("apparmor:\n  site_rules: ['/srv/iso/** r,']\n", dropIn);
    assertThat(created.changes()).containsExactly(
        RulesChange.site(file, List.of(), List.of("/srv/iso/** r,")));
    assertThat(created.changes().get(0).action()).isEqualTo(Action.CREATE);

    Plan removed = planConverging("apparmor:\n  site_rules: []\n", dropIn);
    assertThat(removed.changes()).containsExactly(
        RulesChange.site(file, List.of("/srv/iso/** r,"), List.of()));
    assertThat(removed.changes().get(0).action()).isEqualTo(Action.DELETE);
    assertThat(removed.files()).singleElement().satisfies(op -> assertThat(op.isDelete()).isTrue());
  }

  @Test
  void guestModeAndRulesChangeInPlace() {
    MemoryHost host = MemoryHost.stock().guest("web01", WEB, true);
    GuestId web = new GuestId(WEB, Optional.of("web01"));
    Path profile = MemoryHost.PATHS.guestProfile(WEB);
    Plan plan = planConverging(
        "apparmor:\n  guests:\n    list:\n      web01:\n        mode: complain\n"
            + "        rules: ['/srv/web/** r,']\n", host);
    assertThat(plan.changes()).containsExactly(
        new GuestModeChange(web, profile, Mode.ENFORCE, Mode.COMPLAIN),
        RulesChange.guest(web, profile, List.of(), List.of("/srv/web/** r,")));

    Plan updated = planConverging(
        "apparmor:\n  guests:\n    list:\n      web01:\n        mode: complain\n"
            + "        rules: ['/srv/web/** rw,']\n", host);
    assertThat(updated.changes()).containsExactly(
        RulesChange.guest(web, profile, List.of("/srv/web/** r,"), List.of("/srv/web/** rw,")));
    assertThat(updated.changes().get(0).action()).isEqualTo(Action.UPDATE);

    Plan dropped = planConverging(
        "apparmor:\n  guests:\n    list:\n      web01:\n        rules: []\n", host);
    assertThat(dropped.changes()).containsExactly(
        RulesChange.guest(web, profile, List.of("/srv/web/** rw,"), List.of()));
    assertThat(dropped.changes().get(0).action()).isEqualTo(Action.DELETE);
  }

  @Test
  void aChangedProfileIsReloadedOnlyWhenTheKernelHasItOrReloadIsAlways() {
    String body = "apparmor:\n  guests:\n    default_mode: complain\n";
    KernelStatus loaded = new KernelStatus(true, Map.of(WEB.profileName(), "enforce"));
    MemoryHost host = MemoryHost.stock().guest("web01", WEB, true).guest("db01", DB, true);
    Plan auto = Planner.plan(state(body), host.snapshot(), loaded);
    assertThat(auto.reloads()).containsExactly(
        new ProfileReload(WEB.profileName(), MemoryHost.PATHS.guestProfile(WEB)));
    Plan always = Planner.plan(state(body + "  reload: always\n"), host.snapshot(), loaded);
    assertThat(always.reloads()).extracting(ProfileReload::profileName)
        .containsExactlyInAnyOrder(WEB.profileName(), DB.profileName());
    Plan never = Planner.plan(state(body + "  reload: never\n"), host.snapshot(), loaded);
    assertThat(never.reloads()).isEmpty();
  }

  @Test
  void aGuestWithoutProfileGetsOneFromTheTemplate() {
    MemoryHost host = MemoryHost.stock().guest("db01", DB, false);
    Plan plan = planConverging(
        "apparmor:\n  template:\n    rules: ['/srv/all r,']\n  guests:\n    list:\n"
            + "      db01:\n        mode: complain\n        rules: ['/srv/db/** rw,']\n", host);
    Path profile = MemoryHost.PATHS.guestProfile(DB);
    assertThat(plan.changes()).contains(new GuestProfileCreated(
        new GuestId(DB, Optional.of("db01")), profile, Mode.COMPLAIN,
        List.of("/srv/all r,", "/srv/db/** rw,")));
    String text = host.snapshot().guestProfiles().get(DB).text().orElseThrow();
    assertThat(text).contains("profile " + DB.profileName() + " ").contains("complain")
        .contains("/srv/db/** rw,").doesNotContain("LIBVIRT_TEMPLATE");
  }

  @Test
  void profilesRenderAndZeroByteProfilesAreRegenerated() {
    GuestId web = new GuestId(WEB, Optional.of("web01"));
    MemoryHost host = MemoryHost.stock().guest("web01", WEB, false)
        .profile(WEB, MemoryHost.libvirtProfile(WEB, "").replace("}\n", "  /tmp/stray r,\n}\n"));
    Plan render = planConverging("apparmor:\n  guests:\n    profiles: render\n    default_mode: enforce\n", host);
    assertThat(render.changes()).containsExactly(
        new GuestProfileRegenerated(web, MemoryHost.PATHS.guestProfile(WEB), "profiles: render"));

    host.profile(WEB, "");
    Plan zero = planConverging("apparmor:\n  guests:\n    list:\n      web01: {}\n", host);
    assertThat(zero.changes()).containsExactly(
        new GuestProfileRegenerated(web, MemoryHost.PATHS.guestProfile(WEB), "0-byte profile"));
  }

  @Test
  void pruneDeletesProfilesOfUndefinedGuestsWithTheirFilesList() {
    MemoryHost host = MemoryHost.stock().guest("web01", WEB, true)
        .profile(GONE, MemoryHost.libvirtProfile(GONE, ""));
    Path profile = MemoryHost.PATHS.guestProfile(GONE);
    Plan plan = plan("apparmor:\n  guests:\n    prune: true\n", host);
    assertThat(plan.changes()).containsExactly(new GuestProfilePruned(
        new GuestId(GONE, Optional.empty()), profile, Optional.of(MemoryHost.PATHS.filesList(GONE))));
    assertThat(plan.files()).extracting(FileOperation::path)
        .containsExactly(profile, MemoryHost.PATHS.filesList(GONE));
    assertThat(plan.files()).allMatch(FileOperation::isDelete);
    assertThat(plan.files().get(1).expected()).as(".files is never read").isEmpty();
  }

  @Test
  void theHookIsInstalledUpdatedAndRemoved() {
    MemoryHost host = MemoryHost.stock().guest("web01", WEB, true);
    Path script = MemoryHost.PATHS.qemuHook();
    Path record = MemoryHost.PATHS.hookRecord();
    Plan installed = planConverging("apparmor:\n  guests:\n    hook: true\n", host);
    assertThat(installed.changes()).containsExactly(
        new HookChange(HookChange.Part.SCRIPT, script, Action.CREATE, 0),
        new HookChange(HookChange.Part.RECORD, record, Action.CREATE, 0));
    assertThat(installed.files()).filteredOn(op -> op.path().equals(script))
        .singleElement().satisfies(op -> assertThat(op.executable()).isTrue());

    Plan updated = planConverging(
        "apparmor:\n  guests:\n    hook: true\n    list:\n      web01:\n        mode: complain\n", host);
    assertThat(updated.changes()).contains(
        new HookChange(HookChange.Part.RECORD, record, Action.UPDATE, 1));

    Plan removed = planConverging("apparmor:\n  guests:\n    hook: false\n", host);
    assertThat(removed.changes()).containsExactly(
        new HookChange(HookChange.Part.SCRIPT, script, Action.DELETE, 0),
        new HookChange(HookChange.Part.RECORD, record, Action.DELETE, 0));
  }

  @Test
  void aGuestNameTheHostDoesNotDefineIsAWarningAtItsLineAndTheRestStillPlans() {
    MemoryHost host = MemoryHost.stock().guest("web01", WEB, true);
    Plan p = plan("apparmor:\n  guests:\n    list:\n      WEB01:\n        mode: complain\n"
        + "      web01:\n        mode: complain\n", host);
    assertThat(p.warnings()).filteredOn(w -> w.contains("no guest named"))
        .containsExactly("state.yaml:6:7: apparmor.guests.list.WEB01: no guest named 'WEB01' is"
            + " defined on this host; its entry is skipped (did you mean 'web01'?)");
    assertThat(p.changes()).anySatisfy(c -> assertThat(c).isInstanceOf(GuestModeChange.class));
  }

  @Test
  void missingTemplatesAreWarnedAbout() {
    MemoryHost host = MemoryHost.stock().without(MemoryHost.PATHS.templateLxc()).without(TEMPLATE);
    Plan plan = plan("", host);
    assertThat(plan.warnings()).hasSize(2)
        .allMatch(w -> w.contains("disable AppArmor confinement"));
  }

  @Test
  void everyChangeKindAndEveryActionIsPlannedByTheTestsAbove() {
    List<Supplier<Plan>> plans = List.of(
        () -> plan("qemu_conf:\n  security_driver: apparmor\n  user: null\n  vnc_listen: 127.0.0.1\n",
            MemoryHost.stock().file(QEMU_CONF, "user = \"qemu\"\nvnc_listen = \"0.0.0.0\"\n")),
        () -> plan("apparmor:\n  template:\n    flags: [attach_disconnected, mediate_deleted]\n"
            + "    rules: ['/srv/a r,']\n", MemoryHost.stock()),
        () -> plan(yamlContent(MemoryHost.TEMPLATE), MemoryHost.stock().without(TEMPLATE)),
        () -> plan("apparmor:\n  site_rules: ['/srv/a r,']\n", MemoryHost.stock()),
        () -> plan("apparmor:\n  guests:\n    prune: true\n    hook: true\n    list:\n"
            + "      web01:\n        mode: complain\n        rules: ['/srv/a r,']\n"
            + "      db01: {}\n      " + DB2 + ": {}\n",
            MemoryHost.stock().guest("web01", WEB, true).guest("db01", DB, false)
                .guest("db02", Uuid.parse(DB2).orElseThrow(), false)
                .profile(Uuid.parse(DB2).orElseThrow(), "")
                .profile(GONE, MemoryHost.libvirtProfile(GONE, ""))));
    Set<Class<?>> kinds = new HashSet<>();
    Set<Action> actions = EnumSet.noneOf(Action.class);
    Set<RulesChange.Block> blocks = EnumSet.noneOf(RulesChange.Block.class);
    for (Supplier<Plan> p : plans) {
      for (Change c : p.get().changes()) {
        kinds.add(c.getClass());
        actions.add(c.action());
        if (c instanceof RulesChange r) {
          blocks.add(r.block());
        }
      }
    }
    assertThat(kinds).containsExactlyInAnyOrder(Arrays.stream(Change.class.getPermittedSubclasses())
        .map(c -> (Class<?>) c).toArray(Class<?>[]::new));
    assertThat(actions).containsExactlyInAnyOrder(Action.values());
    assertThat(blocks).containsExactlyInAnyOrder(RulesChange.Block.values());
  }

  static final String DB2 = "11111111-2222-4333-8444-555555555555";
}
