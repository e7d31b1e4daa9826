package io.svirtctl.cli;

import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.HostLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options shared by every command that looks at a host: {@code --root} and setting overrides. */
final class HostOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      defaultValue = "/",
      description = "Treat every managed path as relative to DIR (default: /).")
  Path root;

  @Option(
      names = "--apparmor-parser",
      paramLabel = "PATH",
      description = "apparmor_parser to run (default: /sbin/apparmor_parser).")
  Path apparmorParser;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "svirtctl's journal and lock directory, inside the root (default: /var/lib/svirtctl).")
  Path stateDir;

  /** The apparmor_parser runner the layout names. */
  static ApparmorParser parser(HostLayout layout) {
    return new ApparmorParser(layout.apparmorParser(), layout.parserTimeout());
  }

  /** Read on first use; a command's options belong to one run. */
  private Settings settings;

  /** False when the {@code reload} setting is {@code never} (no kernel to load profiles into). */
  boolean reloadAllowed(Map<String, String> env) {
    return settings(env).reloadAllowed();
  }

  /** The {@code hook_strict} setting. */
  boolean hookStrict(Map<String, String> env) {
    return settings(env).hookStrict();
  }

  /** The {@code hook_timeout_seconds} setting: the hook's time budget from its start. */
  Duration hookTimeout(Map<String, String> env) {
    return settings(env).hookTimeout();
  }

  /** The layout for this run: defaults < properties file < environment < these flags. */
  HostLayout layout(Map<String, String> env) {
    return settings(env).layout();
  }

  /**
   * A root that is not a directory is a usage error naming it: otherwise every host file would
   * simply be absent and the run would report a host without a template.
   */
  private void checkRoot() {
    if (!Files.isDirectory(root)) {
      String why = Files.exists(root) ? "is not a directory" : "does not exist";
      throw new ParameterException(command.commandLine(), "--root " + root + ": " + why);
    }
  }

  private Settings settings(Map<String, String> env) {
    if (settings == null) {
      checkRoot();
      Map<String, String> flags = new LinkedHashMap<>();
      if (apparmorParser != null) {
        flags.put(SettingsLoader.APPARMOR_PARSER, apparmorParser.toAbsolutePath().toString());
      }
      if (stateDir != null) {
        flags.put(SettingsLoader.STATE_DIR, stateDir.toString());
      }
      settings = SettingsLoader.read(root, env, flags);
    }
    return settings;
  }
}
