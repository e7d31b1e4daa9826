package io.svirtctl.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.qemuconf.QemuValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateLoaderTest {

  private static HostState load(String yaml) {
    return load(yaml, Optional.empty());
  }

  private static HostState load(String yaml, Optional<String> host) {
    return StateLoader.load("s.yaml", yaml.getBytes(StandardCharsets.UTF_8), host, "machine01");
  }

  private static Optional<QemuValue> qemu(HostState s, String key) {
    return s.qemuConf().stream().filter(q -> q.key().equals(key)).findFirst().orElseThrow().value();
  }

  @Test
  void aFullHostFileBecomesTypedRecords() {
    HostState s =
        load(
            """
            apiVersion: svirtctl/v1
            kind: Host
            qemu_conf:
              security_driver: apparmor
              security_default_confined: true
              security_require_confined: 1
              cgroup_device_acl: [/dev/null, /dev/kvm]
              max_processes: 4096
              max_core: unlimited
              keepalive_interval: -1
              clear_emulator_capabilities: null
            apparmor:
              template:
                flags: [attach_disconnected]
                rules: ["/srv/vm-images/** rwk,"]
              site_rules: ["/srv/iso/** r,"]
              guests:
                default_mode: enforce
                profiles: render
                prune: true
                hook: true
                list:
                  5B3A1C1E-8A51-4D7C-9A77-0123456789AB: {mode: complain}
                  web01: {mode: enforce, rules: ["/mnt/scratch/web01/** rwk,"]}
              reload: never
            policy:
              allow_unconfined: false
            """);
    assertThat(s.host()).isEqualTo("machine01");
    assertThat(s.qemuConf()).extracting(QemuSetting::key).isSorted();
    assertThat(qemu(s, "security_driver")).contains(new QemuValue.Str("apparmor"));
    assertThat(qemu(s, "security_default_confined")).contains(new QemuValue.Int(BigInteger.ONE, false));
    assertThat(qemu(s, "security_require_confined")).contains(new QemuValue.Int(BigInteger.ONE, false));
    assertThat(qemu(s, "cgroup_device_acl")).contains(QemuValue.Lst.ofStrings(List.of("/dev/null", "/dev/kvm")));
    assertThat(qemu(s, "max_processes")).contains(QemuValue.Int.of(4096));
    assertThat(qemu(s, "max_core")).contains(new QemuValue.Str("unlimited"));
    assertThat(qemu(s, "keepalive_interval")).contains(QemuValue.Int.of(-1));
    assertThat(qemu(s, "clear_emulator_capabilities")).isEmpty();
    assertThat(s.qemuConf().get(0).location().line()).isPositive();

    AppArmorSpec a = s.apparmor();
    assertThat(a.template()).contains(new TemplateSpec(
        Optional.empty(), Optional.of(List.of("attach_disconnected")), Optional.of(List.of("/srv/vm-images/** rwk,"))));
    assertThat(a.siteRules()).contains(List.of("/srv/iso/** r,"));
    assertThat(a.reload()).isEqualTo(ReloadPolicy.NEVER);
    GuestsSpec g = a.guests();
    assertThat(g.defaultMode()).contains(Mode.ENFORCE);
    assertThat(g.profiles()).isEqualTo(ProfilesPolicy.RENDER);
    assertThat(g.prune()).isTrue();
    assertThat(g.hook()).isTrue();
    assertThat(g.list()).extracting(GuestSpec::ref).containsExactly(
        new GuestRef.ByUuid(new Uuid("5b3a1c1e-8a51-4d7c-9a77-0123456789ab")), new GuestRef.ByName("web01"));
    assertThat(g.list().get(0).mode()).contains(Mode.COMPLAIN);
    assertThat(g.list().get(1).rules()).contains(List.of("/mnt/scratch/web01/** rwk,"));
    assertThat(s.policy().allowUnconfined()).isFalse();
  }

  @Test
  void anEmptyHostFileManagesNothing() {
    HostState s = load("apiVersion: svirtctl/v1\nkind: Host\n", Optional.of("hv07"));
    assertThat(s.host()).isEqualTo("hv07");
    assertThat(s.qemuConf()).isEmpty();
    assertThat(s.apparmor()).isEqualTo(AppArmorSpec.unmanaged());
    assertThat(s.apparmor().guests().defaultMode()).isEmpty();
    assertThat(s.apparmor().guests().profiles()).isEqualTo(ProfilesPolicy.ADOPT);
    assertThat(s.policy().allowUnconfined()).isFalse();
  }

  @Test
  void driverNoneIsAcceptedWhenPolicyAllowsIt() {
    HostState s = load("""
        apiVersion: svirtctl/v1
        kind: Host
        qemu_conf: {security_driver: none, security_require_confined: false}
        policy: {allow_unconfined: true}
        """);
    assertThat(qemu(s, "security_driver")).contains(new QemuValue.Str("none"));
  }

  @Test
  void driverListAndTemplateContentAreAccepted() {
    HostState s = load("""
        apiVersion: svirtctl/v1
        kind: Host
        qemu_conf: {security_driver: [selinux, apparmor]}
        apparmor:
          template:
            content: |
              #include <tunables/global>
              profile LIBVIRT_TEMPLATE flags=(attach_disconnected) {
                #include <abstractions/libvirt-qemu>
              }
        """);
    assertThat(qemu(s, "security_driver")).contains(QemuValue.Lst.ofStrings(List.of("selinux", "apparmor")));
    assertThat(s.apparmor().template().orElseThrow().content().orElseThrow()).contains("profile LIBVIRT_TEMPLATE");
    assertThat(s.apparmor().template().orElseThrow().flags()).isEmpty();
  }

  private static final String FLEET = """
      apiVersion: svirtctl/v1
      kind: Fleet
      defaults:
        qemu_conf:
          security_driver: apparmor
          cgroup_device_acl: [/dev/null, /dev/kvm]
          max_processes: 100
        apparmor:
          site_rules: ["/srv/iso/** r,"]
          guests:
            default_mode: enforce
            list:
              web01: {mode: enforce, rules: ["/srv/web/** r,"]}
      groups:
        - hosts: ["hv0?", "edge-*"]
          qemu_conf:
            cgroup_device_acl: [/dev/null]
          apparmor:
            guests:
              list:
                web01: {mode: complain}
        - hosts: ["hv01"]
          qemu_conf:
            max_processes: 200
      hosts:
        hv01:
          qemu_conf:
            max_processes: null
          apparmor:
            guests:
              list:
                db01: {mode: complain}
        solo: {}
      """;

  @Test
  void fleetMergesDefaultsThenMatchingGroupsInOrderThenTheHostEntry() {
    HostState s = load(FLEET, Optional.of("hv01"));
    assertThat(s.host()).isEqualTo("hv01");
    // scalar from defaults kept; list replaced by the group; the host's null wins over both.
    assertThat(qemu(s, "security_driver")).contains(new QemuValue.Str("apparmor"));
    assertThat(qemu(s, "cgroup_device_acl")).contains(QemuValue.Lst.ofStrings(List.of("/dev/null")));
    assertThat(qemu(s, "max_processes")).isEmpty();
    // maps merge key by key: web01 keeps its rules from defaults and takes its mode from the group.
    List<GuestSpec> guests = s.apparmor().guests().list();
    assertThat(guests).extracting(g -> g.ref().label()).containsExactly("db01", "web01");
    assertThat(guests.get(1).mode()).contains(Mode.COMPLAIN);
    assertThat(guests.get(1).rules()).contains(List.of("/srv/web/** r,"));
    assertThat(s.apparmor().siteRules()).contains(List.of("/srv/iso/** r,"));
    assertThat(s.apparmor().guests().defaultMode()).contains(Mode.ENFORCE);
  }

  @Test
  void fleetGroupGlobsAloneSelectAHost() {
    HostState s = load(FLEET, Optional.of("edge-7"));
    assertThat(qemu(s, "max_processes")).contains(QemuValue.Int.of(100));
    assertThat(qemu(s, "cgroup_device_acl")).contains(QemuValue.Lst.ofStrings(List.of("/dev/null")));
    assertThat(s.apparmor().guests().list()).extracting(g -> g.ref().label()).containsExactly("web01");
  }

  @Test
  void fleetHostEntryWithoutGroupsGetsDefaults() {
    HostState s = load(FLEET, Optional.of("solo"));
    assertThat(qemu(s, "cgroup_device_acl")).contains(QemuValue.Lst.ofStrings(List.of("/dev/null", "/dev/kvm")));
    assertThat(s.apparmor().guests().list().get(0).mode()).contains(Mode.ENFORCE);
  }

  @Test
  void fleetUsesTheMachineHostnameWithoutHostOption() {
    String fleet = FLEET.replace("  solo: {}", "  machine01: {policy: {allow_unconfined: true}}");
    assertThat(load(fleet).policy().allowUnconfined()).isTrue();
    assertThat(load(fleet).host()).isEqualTo("machine01");
  }

  @Test
  void fleetWithoutAMatchNamesTheFileAndTheHost() {
    assertThatThrownBy(() -> load(FLEET, Optional.of("db9")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.diagnostics())
            .singleElement()
            .hasToString("s.yaml: no group or host entry of this Fleet matches host 'db9' (use --host, or add it under hosts:)"));
  }

  @Test
  void allErrorsAreReportedTogetherSortedByPosition() {
    assertThatThrownBy(() -> load("""
        apiVersion: svirtctl/v1
        kind: Host
        policy: {allow_unconfined: 3}
        qemu_conf: {vnc_tls: maybe, user: 1}
        """))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.diagnostics())
            .extracting(d -> d.location().line() + ":" + d.location().column())
            .containsExactly("3:28", "4:22", "4:35"));
  }

  @Test
  void oversizedInputIsRefusedBeforeParsing() {
    byte[] big = new byte[YamlReader.MAX_BYTES + 1];
    java.util.Arrays.fill(big, (byte) '#');
    assertThatThrownBy(() -> StateLoader.load("big.yaml", big, Optional.empty(), "h"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("big.yaml: the state file is larger than 4 MiB");
  }

  @Test
  void aliasBombIsRefusedWithoutExpansion() {
    StringBuilder y = new StringBuilder("apiVersion: svirtctl/v1\nkind: Host\nx: &a [\"lol\"]\n");
    for (int i = 0; i < 10; i++) {
      y.append("x").append(i).append(": &a").append(i).append(" [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
    }
    assertThatThrownBy(() -> load(y.toString())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown property 'x'");
  }
}
