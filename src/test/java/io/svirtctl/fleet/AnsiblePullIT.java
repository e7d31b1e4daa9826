package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ansible-pull alternative to the GitOps agent: the real {@code ansible-pull} clones a fleet
 * repository holding {@code playbook-examples/ansible-pull/local.yml} beside the lab's fleet
 * file and runs it with the installed collection's module on a copy of the demo host.
 */
class AnsiblePullIT {

  private static final String DB01 =
      "etc/apparmor.d/libvirt/libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";

  @TempDir Path dir;

  @Test
  void ansiblePullAppliesThisHostsPartOfTheFleetThenChangesNothing()
      throws IOException, InterruptedException {
    Path pull = ExternalTool.require("ansible-pull", "ansible-core");
    FleetRepository fleet = FleetRepository.create(dir);
    Files.copy(ExternalTool.basedir().resolve("playbook-examples/ansible-pull/local.yml"),
        fleet.work().resolve("local.yml"));
    fleet.commit(Optional.empty(), "ansible-pull playbook");
    Path collections = Playbooks.installCollection(dir);
    Path root = TestHosts.copyDemo(dir);
    // No AppArmor kernel and no libvirt daemon in a test; svirtctl is the packaged jar.
    Path vars = dir.resolve("pull-vars.json");
    Files.writeString(vars, "{\"svirtctl_root\": \"" + root + "\", "
        + "\"svirtctl_host\": \"hv03.lab.example\", "
        + "\"svirtctl_reload\": false, \"svirtctl_manage_service\": false, "
        + "\"svirtctl_executable\": \"" + ExternalTool.java() + " -jar "
        + ExternalTool.svirtctlJar() + "\"}");
    List<String> cmd = List.of(pull.toString(), "-U", fleet.url(), "-d",
        dir.resolve("pulled").toString(), "-e", "@" + vars, "local.yml");

    ExternalTool.Run first =
        ExternalTool.run(cmd, dir, Playbooks.env(dir, collections), Optional.empty());
    assertThat(first.code()).as(first.both()).isZero();
    Playbooks.Recap applied = Playbooks.recap(first).get("localhost");
    assertThat(applied).as(first.both()).isNotNull();
    assertThat(applied.changed()).as(first.both()).isEqualTo(1);
    // hv03's part of the fleet file: db01 in complain mode.
    assertThat(Files.readString(root.resolve(DB01))).contains("complain");

    ExternalTool.Run second =
        ExternalTool.run(cmd, dir, Playbooks.env(dir, collections), Optional.empty());
    assertThat(second.code()).as(second.both()).isZero();
    Playbooks.Recap again = Playbooks.recap(second).get("localhost");
    assertThat(again).as(second.both()).isNotNull();
    assertThat(again.changed()).as(second.both()).isZero();
    assertThat(again.failed()).as(second.both()).isZero();
  }
}
