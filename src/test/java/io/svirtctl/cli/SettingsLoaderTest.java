package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import io.svirtctl.host.HostLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

  @TempDir Path root;

  @Test
  void defaultsAreTheDebianLocations() {
    HostLayout l = SettingsLoader.load(root, Map.of(), Map.of());
    assertThat(l.qemuConf()).isEqualTo(Path.of("/etc/libvirt/qemu.conf"));
    assertThat(l.apparmorDir()).isEqualTo(Path.of("/etc/apparmor.d"));
    assertThat(l.stateDir()).isEqualTo(Path.of("/var/lib/svirtctl"));
    assertThat(l.apparmorParser()).isEqualTo(Path.of("/sbin/apparmor_parser"));
    assertThat(l.lockTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(l.resolve(l.qemuConf())).isEqualTo(root.resolve("etc/libvirt/qemu.conf"));
  }

  @Test
  void fileThenEnvironmentThenFlagsEachOverrideTheLayerBelow() throws Exception {
    Path file = root.resolve("etc/svirtctl/svirtctl.properties");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "apparmor_parser = /opt/aa/file\nstate_dir = /srv/state-from-file\nlock_timeout_seconds = 5\n");

    HostLayout fromFile = SettingsLoader.load(root, Map.of(), Map.of());
    assertThat(fromFile.apparmorParser()).isEqualTo(Path.of("/opt/aa/file"));
    assertThat(fromFile.stateDir()).isEqualTo(Path.of("/srv/state-from-file"));
    assertThat(fromFile.lockTimeout()).isEqualTo(Duration.ofSeconds(5));

    Map<String, String> env = Map.of("SVIRTCTL_APPARMOR_PARSER", "/opt/aa/env");
    HostLayout fromEnv = SettingsLoader.load(root, env, Map.of());
    assertThat(fromEnv.apparmorParser()).isEqualTo(Path.of("/opt/aa/env"));
    assertThat(fromEnv.stateDir()).isEqualTo(Path.of("/srv/state-from-file"));

    HostLayout fromFlag =
        SettingsLoader.load(root, env, Map.of(SettingsLoader.APPARMOR_PARSER, "/opt/aa/flag"));
    assertThat(fromFlag.apparmorParser()).isEqualTo(Path.of("/opt/aa/flag"));
  }

  @Test
  void unknownKeyInTheFileIsInvalidInputNamingTheFile() throws Exception {
    Path file = root.resolve("etc/svirtctl/svirtctl.properties");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "apparmor_parsr = /x\n");
    assertThatThrownBy(() -> SettingsLoader.load(root, Map.of(), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("unknown setting 'apparmor_parsr'");
  }

  @Test
  void relativePathOrBadNumberIsRefused() {
    assertThatThrownBy(
            () -> SettingsLoader.load(root, Map.of("SVIRTCTL_STATE_DIR", "var/lib"), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("state_dir must be an absolute path");
    assertThatThrownBy(
            () ->
                SettingsLoader.load(
                    root, Map.of("SVIRTCTL_LOCK_TIMEOUT_SECONDS", "soon"), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lock_timeout_seconds");
  }

  @Test
  void reloadSettingIsAutoByDefaultNeverOnRequestAndNothingElse() {
    assertThat(SettingsLoader.read(root, Map.of(), Map.of()).reloadAllowed()).isTrue();
    assertThat(SettingsLoader.read(root, Map.of("SVIRTCTL_RELOAD", "never"), Map.of()).reloadAllowed()).isFalse();
    assertThatThrownBy(() -> SettingsLoader.read(root, Map.of("SVIRTCTL_RELOAD", "sometimes"), Map.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("setting reload must be auto or never: sometimes");
  }
}
