package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed libvirt hook script, run as libvirt runs it (domain XML on standard input), with
 * the packaged jar: a guest profile deleted while the guest was stopped comes back in its mode.
 */
class GuestHookIT {

  private static final String DB01 = "libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";

  @TempDir Path dir;

  private ExternalTool.Run svirtctl(Optional<Path> stdin, String... args)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(ExternalTool.java(), "-jar", ExternalTool.svirtctlJar().toString()));
    cmd.addAll(List.of(args));
    return ExternalTool.run(cmd, dir, Map.of(), stdin);
  }

  @Test
  void hookRestoresADeletedProfileWithItsMode() throws IOException, InterruptedException {
    Path root = TestHosts.copyDemo(dir);
    Path fleet = ExternalTool.basedir().resolve("playbook-examples/fleet/fleet.yaml");
    ExternalTool.Run apply =
        svirtctl(Optional.empty(), "apply", "-f", fleet.toString(), "--host", "hv03.lab.example",
            "--root", root.toString(), "--no-reload");
    assertThat(apply.code()).as(apply.both()).isZero();
    Path hook = root.resolve("etc/libvirt/hooks/qemu.d/svirtctl");
    assertThat(hook).isExecutable();
    assertThat(Files.readString(hook)).contains("exec svirtctl hook qemu -- \"$@\"");

    Path profile = root.resolve("etc/apparmor.d/libvirt/" + DB01);
    String applied = Files.readString(profile);
    assertThat(ProfileDocument.parse(DB01, applied).mode()).isEqualTo(Mode.COMPLAIN);
    Files.delete(profile);

    ExternalTool.Run run =
        svirtctl(Optional.of(root.resolve("etc/libvirt/qemu/db01.xml")),
            "hook", "qemu", "--root", root.toString(), "--", "db01", "prepare", "begin", "-");

    assertThat(run.code()).as(run.both()).isZero();
    ProfileDocument restored = ProfileDocument.parse(DB01, Files.readString(profile));
    assertThat(restored.mode()).isEqualTo(Mode.COMPLAIN);
    assertThat(restored.managedRules(DB01)).containsExactly("/srv/vm-images/** rwk,");
    assertThat(Files.readString(root.resolve("var/lib/svirtctl/hook.log")))
        .contains("db01: recreated from the recorded template " + DB01 + " (complain)");
    ExternalTool.Run again =
        svirtctl(Optional.empty(), "apply", "-f", fleet.toString(), "--host", "hv03.lab.example",
            "--root", root.toString(), "--no-reload", "--detailed-exitcode");
    assertThat(again.code()).as("apply after the hook restored the profile: " + again.both()).isZero();
  }
}
