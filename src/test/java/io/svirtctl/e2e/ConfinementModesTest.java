package io.svirtctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue case 1: a guest profile with {@code flags=(attach_disconnected, unconfined)} is what the
 * kernel calls unconfined, and doctor and export say so (plan and the hook: golden cases and
 * HookRecordTest).
 */
class ConfinementModesTest {

  private static final String WEB01 = "libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab";
  private static final String DB01 = "libvirt-9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";
  private static final Map<String, String> NO_PARSER =
      Map.of("SVIRTCTL_APPARMOR_PARSER", "/nonexistent/apparmor_parser");

  @TempDir Path temp;
  Path root;

  @BeforeEach
  void host() throws Exception {
    root = temp.resolve("root");
    Trees.copy(Trees.DEMO, root);
    setFlags(WEB01, "attach_disconnected, unconfined");
    setFlags(DB01, "attach_disconnected, kill");
  }

  private void setFlags(String profile, String flags) throws Exception {
    Path p = root.resolve("etc/apparmor.d/libvirt/" + profile);
    String text = Files.readString(p, StandardCharsets.UTF_8);
    Files.writeString(p, text.replace("flags=(attach_disconnected)", "flags=(" + flags + ")"), StandardCharsets.UTF_8);
  }

  @Test
  void doctorCallsAnUnconfinedFlagAnErrorAndKillConfinement() {
    CliRun doctor = CliRun.run(NO_PARSER, "", "doctor", "--root", root.toString(), "-o", "json");
    assertThat(doctor.exitCode()).isEqualTo(1);
    assertThat(doctor.out())
        .contains("\"confined\":false")
        .contains("\"check\":\"guest.5b3a1c1e-8a51-4d7c-9a77-0123456789ab\",\"severity\":\"error\","
            + "\"message\":\"guest web01 (5b3a1c1e-8a51-4d7c-9a77-0123456789ab) has an unconfined profile")
        .doesNotContain("\"check\":\"guest.9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb\",");
  }

  @Test
  void exportWritesTheKernelsModesAndAllowsWhatItExports() throws Exception {
    CliRun export = CliRun.run(NO_PARSER, "", "export", "--host", "hv", "--root", root.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out())
        .contains("web01:\n        mode: unconfined")
        .contains("db01:\n        mode: kill")
        .contains("allow_unconfined: true");
    Path exported = temp.resolve("exported.yaml");
    Files.writeString(exported, export.out());
    CliRun plan = CliRun.run(NO_PARSER, "", "plan", "-f", exported.toString(), "--host", "hv",
        "--root", root.toString(), "--detailed-exitcode");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
  }
}
