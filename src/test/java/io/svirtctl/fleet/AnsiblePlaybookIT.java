package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern RECAP =
      Pattern.compile("^(\\S+)\\s+:\\s+ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)",
          Pattern.MULTILINE);

  @TempDir Path dir;
  private Path ansible;
  private Path inventory;
  private final Map<String, Path> roots = new TreeMap<>();

  /** A host's line of the PLAY RECAP. */
  private record Recap(int ok, int changed, int unreachable, int failed) {}

  @BeforeEach
  void threeHosts() throws IOException {
    ansible = ExternalTool.require("ansible-playbook", "ansible-core");
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
        .append("svirtctl_manage_service=false\n");
    inventory = dir.resolve("inventory.ini");
    Files.writeString(inventory, inv.toString());
  }

  private ExternalTool.Run playbook(String name, String... extra)
      throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path tmp = Files.createDirectories(dir.resolve("ansible-tmp"));
    Path fleet = ExternalTool.basedir().resolve("playbook-examples/fleet");
    List<String> cmd = new ArrayList<>(List.of(ansible.toString(), "-i", inventory.toString()));
    cmd.addAll(List.of(extra));
    cmd.add(fleet.resolve(name).toString());
    Map<String, String> env =
        Map.of(
            "HOME", home.toString(),
            "ANSIBLE_LOCAL_TEMP", tmp.toString(),
            "ANSIBLE_REMOTE_TEMP", tmp.toString(),
            "ANSIBLE_CONFIG", fleet.resolve("ansible.cfg").toString(),
            "ANSIBLE_LIBRARY", ExternalTool.basedir().resolve("modules").toString(),
            "ANSIBLE_NOCOLOR", "1",
            "ANSIBLE_RETRY_FILES_ENABLED", "false",
            "LC_ALL", "C.UTF-8");
    return ExternalTool.run(cmd, fleet, env, Optional.empty());
  }

  private static Map<String, Recap> recap(ExternalTool.Run run) {
    Map<String, Recap> hosts = new TreeMap<>();
    Matcher m = RECAP.matcher(run.out());
    while (m.find()) {
      hosts.put(
          m.group(1),
          new Recap(
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5))));
    }
    assertThat(hosts.keySet()).as(run.both()).containsExactlyInAnyOrderElementsOf(HOSTS);
    return hosts;
  }

  private void assertFirstRunChangesEveryHostAndTheSecondNothing(String playbook)
      throws IOException, InterruptedException {
    ExternalTool.Run first = playbook(playbook);
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

  @Test
  void checkDiffShowsTheDiffAndWritesNothing() throws IOException, InterruptedException {
    Map<String, SortedMap<String, byte[]>> before = new TreeMap<>();
    roots.forEach((h, r) -> before.put(h, Trees.snapshot(r.resolve("etc"))));

    ExternalTool.Run check = playbook("rollout-module.yml", "--check", "--diff");

    assertThat(check.code()).as(check.both()).isZero();
    assertThat(check.out())
        .contains("--- before: /etc/libvirt/qemu.conf")
        .contains("+security_driver = \"apparmor\"")
        .contains("+++ after: /etc/libvirt/hooks/qemu.d/svirtctl");
    recap(check).forEach((host, r) -> assertThat(r.changed()).as(host).isPositive());
    roots.forEach(
        (h, r) ->
            assertThat(Trees.asText(Trees.snapshot(r.resolve("etc"))))
                .as(h)
                .isEqualTo(Trees.asText(before.get(h))));
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
}
