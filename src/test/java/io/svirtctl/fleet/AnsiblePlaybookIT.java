package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet playbooks of {@code playbook-examples/fleet} run by the real ansible-playbook against
 * three simulated hypervisors: local connection, each with its own {@code --root} copy of the
 * demo host, named as the fleet file names them. svirtctl is the packaged jar.
 */
class AnsiblePlaybookIT {

  private static final List<String> HOSTS =
      List.of("hv01.lab.example", "hv02.lab.example", "hv03.lab.example");

  @TempDir Path dir;
  private Path collections;
  private Path inventory;
  private final Map<String, Path> roots = new TreeMap<>();

  @BeforeEach
  void threeHosts() throws IOException, InterruptedException {
    collections = Playbooks.installCollection(dir);
    Path jar = ExternalTool.svirtctlJar();
    StringBuilder inv = new StringBuilder("[hypervisors]\n");
    for (String host : HOSTS) {
      Path root = dir.resolve(host);
      TestHosts.copyTree(TestHosts.demoSource(), root);
      roots.put(host, root);
      inv.append(host).append(" svirtctl_root=").append(root).append('\n');
    }
    inv.append("\n[hypervisors:vars]\n")
        .append("ansible_connection=local\n")
        .append("ansible_python_interpreter=/usr/bin/python3\n")
        .append("svirtctl_executable=\"").append(ExternalTool.java()).append(" -jar ").append(jar)
        .append("\"\n")
        // No AppArmor kernel to load into, and no libvirt daemon to restart, in a test.
        .append("svirtctl_reload=false\n")
        .append("svirtctl_manage_service=false\n")
        // svirtctl is the jar above: the role installs no package here.
        .append("svirtctl_install=false\n");
    inventory = dir.resolve("inventory.ini");
    Files.writeString(inventory, inv.toString());
  }

  private ExternalTool.Run playbook(String name, String... extra)
      throws IOException, InterruptedException {
    return Playbooks.run(dir, collections, inventory, name, extra);
  }

  private static Map<String, Playbooks.Recap> recap(ExternalTool.Run run) {
    Map<String, Playbooks.Recap> hosts = Playbooks.recap(run);
    assertThat(hosts.keySet()).as(run.both()).containsExactlyInAnyOrderElementsOf(HOSTS);
    return hosts;
  }

  private void assertFirstRunChangesEveryHostAndTheSecondNothing(String playbook)
      throws IOException, InterruptedException {
    assertFirstRunChangesEveryHostAndTheSecondNothing(playbook, playbook(playbook));
  }

  /** Returns the second run. */
  private ExternalTool.Run assertFirstRunChangesEveryHostAndTheSecondNothing(
      String playbook, ExternalTool.Run first) throws IOException, InterruptedException {
    assertThat(first.code()).as(first.both()).isZero();
    recap(first)
        .forEach(
            (host, r) -> {
              assertThat(r.failed()).as(host + "\n" + first.both()).isZero();
              assertThat(r.changed()).as(host).isPositive();
            });
    for (Map.Entry<String, Path> e : roots.entrySet()) {
      assertThat(Files.readString(e.getValue().resolve("etc/libvirt/qemu.conf")))
          .as(e.getKey())
          .contains("security_driver = \"apparmor\"");
      assertThat(e.getValue().resolve("etc/libvirt/hooks/qemu.d/svirtctl")).isExecutable();
    }

    ExternalTool.Run second = playbook(playbook);
    assertThat(second.code()).as(second.both()).isZero();
    recap(second)
        .forEach(
            (host, r) -> {
              assertThat(r.failed()).as(host).isZero();
              assertThat(r.changed()).as(host + "\n" + second.both()).isZero();
            });
    return second;
  }

  @Test
  void commandRolloutChangesEveryHostThenNothing() throws IOException, InterruptedException {
    assertFirstRunChangesEveryHostAndTheSecondNothing("rollout-command.yml");
  }

  @Test
  void moduleRolloutChangesEveryHostInBatchesThenNothing()
      throws IOException, InterruptedException {
    assertFirstRunChangesEveryHostAndTheSecondNothing("rollout-module.yml");
    // The fleet file's per-host settings reached the right hosts.
    assertThat(Files.readString(roots.get("hv02.lab.example")
        .resolve("etc/apparmor.d/local/abstractions/libvirt-qemu")))
        .contains("/srv/backup/** r,");
    assertThat(Files.readString(roots.get("hv03.lab.example")
        .resolve("etc/apparmor.d/libvirt/libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb")))
        .contains("complain");
  }

  /** Runs a playbook with --check --diff: it shows changes on every host and writes nothing. */
  private ExternalTool.Run checkDiffWritesNothing(String playbook)
      throws IOException, InterruptedException {
    Map<String, SortedMap<String, byte[]>> before = new TreeMap<>();
    roots.forEach((h, r) -> before.put(h, Trees.snapshot(r.resolve("etc"))));

    ExternalTool.Run check = playbook(playbook, "--check", "--diff");

    assertThat(check.code()).as(check.both()).isZero();
    assertThat(check.out()).contains("+security_driver = \"apparmor\"");
    recap(check).forEach((host, r) -> assertThat(r.changed()).as(host).isPositive());
    roots.forEach(
        (h, r) ->
            assertThat(Trees.asText(Trees.snapshot(r.resolve("etc"))))
                .as(h)
                .isEqualTo(Trees.asText(before.get(h))));
    return check;
  }

  @Test
  void checkDiffShowsTheDiffAndWritesNothing() throws IOException, InterruptedException {
    assertThat(checkDiffWritesNothing("rollout-module.yml").out())
        .contains("--- before: /etc/libvirt/qemu.conf")
        .contains("+++ after: /etc/libvirt/hooks/qemu.d/svirtctl");
  }

  @Test
  void aFailingHostFailsWithSvirtctlsOneLineError() throws IOException, InterruptedException {
    // hv02's qemu.conf becomes unparsable: its run fails with svirtctl's own message, the
    // batch's max_fail_percentage stops the rollout, and hv03 is never touched.
    Path qemuConf = roots.get("hv02.lab.example").resolve("etc/libvirt/qemu.conf");
    Files.writeString(qemuConf, "security_driver = [\n");
    SortedMap<String, byte[]> hv03 = Trees.snapshot(roots.get("hv03.lab.example").resolve("etc"));

    ExternalTool.Run run = playbook("rollout-module.yml");

    assertThat(run.code()).as(run.both()).isNotZero();
    assertThat(run.out()).contains("svirtctl: ").contains("qemu.conf:");
    assertThat(Trees.asText(Trees.snapshot(roots.get("hv03.lab.example").resolve("etc"))))
        .isEqualTo(Trees.asText(hv03));
  }

  @Test
  void roleAppliesThenChangesNothingAndCallsTheHandlerOnlyForQemuConf()
      throws IOException, InterruptedException {
    ExternalTool.Run first = playbook("hypervisor-role.yml");
    // The role placed the state file and applied it.
    roots.forEach(
        (h, r) -> assertThat(r.resolve("etc/svirtctl/state.yaml")).as(h).isRegularFile());
    // qemu.conf changed on every host: the handler runs for the daemon svirtctl names (and,
    // with svirtctl_manage_service=false here, skips the restart itself).
    assertThat(first.out())
        .contains("RUNNING HANDLER [svirtctl.svirt.hypervisor : Restart the libvirt daemon]")
        .contains("(item=libvirtd)");
    ExternalTool.Run second =
        assertFirstRunChangesEveryHostAndTheSecondNothing("hypervisor-role.yml", first);
    assertThat(second.out()).doesNotContain("RUNNING HANDLER");
  }

  @Test
  void roleInCheckModePlansAndWritesNothing() throws IOException, InterruptedException {
    checkDiffWritesNothing("hypervisor-role.yml");
    roots.forEach((h, r) -> assertThat(r.resolve("etc/svirtctl/state.yaml")).doesNotExist());
  }

  private Path onePlaybook(String tasks) throws IOException {
    Path playbook = dir.resolve("one.yml");
    Files.writeString(playbook, "- name: One task on hv01\n  hosts: hv01.lab.example\n"
        + "  gather_facts: false\n  tasks:\n" + tasks);
    return playbook;
  }

  @Test
  void anErrorInAnInlineDefinitionPointsAtTheOption() throws IOException, InterruptedException {
    Path playbook = onePlaybook("""
            - name: Apply a state with a typo
              svirtctl.svirt.svirtctl:
                definition:
                  apiVersion: svirtctl/v1
                  kind: Host
                  qemu_conf: {security_driver: apparmorx}
                root: "{{ svirtctl_root }}"
                reload: false
                executable: "{{ svirtctl_executable }}"
        """);

    ExternalTool.Run run = playbook(playbook.toString());

    assertThat(run.code()).as(run.both()).isNotZero();
    assertThat(run.out())
        .as(run.both())
        .contains("\"msg\": \"svirtctl: definition: qemu_conf.security_driver: unknown value 'apparmorx'")
        .doesNotContain("<stdin>")
        .doesNotContain("svirtctl-state-");
  }

  @Test
  void aMissingExecutableFailsSayingSoBeforeRunningAnything()
      throws IOException, InterruptedException {
    Path playbook = onePlaybook("""
            - name: Apply with svirtctl not installed
              svirtctl.svirt.svirtctl:
                src: /etc/svirtctl/state.yaml
                root: "{{ svirtctl_root }}"
                executable: /nonexistent/bin/svirtctl
        """);

    ExternalTool.Run run = playbook(playbook.toString());

    assertThat(run.code()).as(run.both()).isNotZero();
    assertThat(run.out())
        .as(run.both())
        .contains("executable: /nonexistent/bin/svirtctl was not found on the target")
        .doesNotContain("\"rc\": 2")
        .doesNotContain("No such file or directory");
  }
}
