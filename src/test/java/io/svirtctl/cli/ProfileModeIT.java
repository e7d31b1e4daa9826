package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.svirtctl.Fixtures;
import io.svirtctl.host.ApparmorParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar switches a real libvirt guest profile, and apparmor_parser still compiles it. */
class ProfileModeIT {

  private static final String NAME = "libvirt-0c6a7e5e-3f0d-4c5e-9a8b-1234567890ab";

  @TempDir Path root;

  private record Run(int code, String out, String err) {}

  private static Run jar(String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("svirtctl.jar", "target/svirtctl.jar");
    Assumptions.assumeTrue(Files.isRegularFile(Path.of(jar)), "packaged jar missing: " + jar);
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  void switchesAGuestProfileAndItStillCompiles() throws IOException, InterruptedException {
    Path guest = root.resolve("etc/apparmor.d/libvirt/" + NAME);
    Files.createDirectories(guest.getParent());
    Files.copy(Fixtures.path("apparmor/profiles/32-libvirt-guest.profile"), guest);
    String inside = "/etc/apparmor.d/libvirt/" + NAME;

    Run r = jar("profile-mode", "complain", "--detailed-exitcode", "--root", root.toString(), inside);
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEqualTo("complain: " + inside + "\n");
    assertThat(Files.readString(guest))
        .contains("profile " + NAME + " flags=(attach_disconnected, complain) {");
    Run again = jar("profile-mode", "complain", "--detailed-exitcode", "--root", root.toString(), inside);
    assertThat(again.code()).isZero();
    assertThat(again.out()).isEmpty();

    ApparmorParser parser = new ApparmorParser(Path.of("/usr/sbin/apparmor_parser"), Duration.ofSeconds(60));
    if (!parser.isInstalled()) {
      if ("1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS"))) {
        throw new AssertionError("apparmor_parser is required but missing");
      }
      Assumptions.abort("apparmor_parser not installed; compile check skipped");
    }
    assertThatCode(
            () ->
                parser.check(
                    List.of(Fixtures.path("apparmor/support"), Path.of("/etc/apparmor.d")), guest))
        .doesNotThrowAnyException();
  }
}
