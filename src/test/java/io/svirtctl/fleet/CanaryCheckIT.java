package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue case 4: the module's check pass ({@code ansible-playbook --check}, which runs {@code
 * svirtctl apply --check}) compiles the change as apply would, so a site rule apparmor_parser
 * refuses fails the canary pass on the host, before any host file changes, instead of reporting
 * "changed".
 */
class CanaryCheckIT {

  @TempDir Path dir;

  @Test
  void theCheckPassFailsOnASiteRuleTheParserRefusesAndNoHostFileChanges()
      throws IOException, InterruptedException {
    Path collections = Playbooks.installCollection(dir);
    Path root = dir.resolve("hv01");
    TestHosts.copyTree(TestHosts.demoSource(), root);
    Path state = dir.resolve("state.yaml");
    Files.writeString(state, "apiVersion: svirtctl/v1\nkind: Host\nqemu_conf:\n  security_driver: apparmor\n"
        + "apparmor:\n  site_rules:\n    - \"/srv/images/** rwkx,\"\n");
    Path inventory = dir.resolve("inventory.ini");
    Files.writeString(inventory, "[hypervisors]\nhv01 svirtctl_root=" + root + "\n\n[hypervisors:vars]\n"
        + "ansible_connection=local\nansible_python_interpreter=/usr/bin/python3\n"
        + "svirtctl_executable=\"" + ExternalTool.java() + " -jar " + ExternalTool.svirtctlJar() + "\"\n");
    Path playbook = dir.resolve("canary.yml");
    Files.writeString(playbook, """
        - name: Canary check pass
          hosts: hypervisors
          gather_facts: false
          tasks:
            - name: Plan (check mode, with diffs)
              svirtctl.svirt.svirtctl:
                src: %s
                host: hv01
                root: "{{ svirtctl_root }}"
                reload: false
                executable: "{{ svirtctl_executable }}"
        """.formatted(state));
    SortedMap<String, byte[]> before = Trees.snapshot(root);

    ExternalTool.Run run = Playbooks.run(dir, collections, inventory, playbook.toString(), "--check", "--diff");

    assertThat(run.code()).as(run.both()).isNotZero();
    assertThat(Playbooks.recap(run).get("hv01").changed()).as(run.both()).isZero();
    assertThat(run.out())
        .as(run.both())
        .contains("svirtctl: " + state + ":7:7: apparmor.site_rules[0]: apparmor_parser ")
        .contains("refuses \\\"/srv/images/** rwkx,\\\": Invalid mode, 'x' must be preceded by exec qualifier")
        .doesNotContain("svirtctl-check-");
    assertThat(Trees.asText(Trees.managed(Trees.snapshot(root))))
        .isEqualTo(Trees.asText(Trees.managed(before)));
  }
}
