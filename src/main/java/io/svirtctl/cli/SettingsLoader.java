package io.svirtctl.cli;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.host.HostLayout;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.configuration2.CompositeConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * Reads svirtctl's own settings once, layered (lowest first): built-in defaults, the properties
 * file, {@code SVIRTCTL_*} environment variables, command-line flags.
 *
 * <p>The properties file is {@code /etc/svirtctl/svirtctl.properties} under {@code --root}, so a
 * test root or an image build never picks up the real machine's file; {@code SVIRTCTL_CONFIG}
 * names another one.
 */
final class SettingsLoader {

  static final String QEMU_CONF = "qemu_conf";
  static final String APPARMOR_DIR = "apparmor_dir";
  static final String LIBVIRT_DIR = "libvirt_dir";
  static final String STATE_DIR = "state_dir";
  static final String APPARMOR_PARSER = "apparmor_parser";
  static final String LOCK_TIMEOUT = "lock_timeout_seconds";
  static final String PARSER_TIMEOUT = "parser_timeout_seconds";
  static final String HOOK_STRICT = "hook_strict";
  /** How long the libvirt hook may take, from its start, before it gives up and lets the guest start. */
  static final String HOOK_TIMEOUT = "hook_timeout_seconds";
  /** {@code auto}: reload as the state file says; {@code never}: as if --no-reload (chroots, image builds). */
  static final String RELOAD = "reload";

  static final String CONFIG_FILE = "/etc/svirtctl/svirtctl.properties";
  private static final String ENV_PREFIX = "SVIRTCTL_";

  private static final Map<String, Object> DEFAULTS =
      Map.of(
          QEMU_CONF, "/etc/libvirt/qemu.conf",
          APPARMOR_DIR, "/etc/apparmor.d",
          LIBVIRT_DIR, "/etc/libvirt",
          STATE_DIR, "/var/lib/svirtctl",
          APPARMOR_PARSER, "/sbin/apparmor_parser",
          LOCK_TIMEOUT, "30",
          PARSER_TIMEOUT, "60",
          HOOK_STRICT, "false",
          HOOK_TIMEOUT, "5",
          RELOAD, "auto");

  private SettingsLoader() {}

  /** Every setting's key and built-in default, sorted by key (the man pages list them). */
  static SortedMap<String, String> defaults() {
    SortedMap<String, String> sorted = new TreeMap<>();
    DEFAULTS.forEach((k, v) -> sorted.put(k, String.valueOf(v)));
    return sorted;
  }

  /** The environment variable that sets a key: {@code SVIRTCTL_<KEY>}. */
  static String environmentName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT);
  }

  /** The environment variable that names another properties file. */
  static String configEnvironmentName() {
    return ENV_PREFIX + "CONFIG";
  }

  /**
   * Reads the settings of one run, once.
   *
   * @param root the {@code --root} directory
   * @param env the process environment
   * @param flags settings given on the command line, by key; absent keys are not set
   */
  static Settings read(Path root, Map<String, String> env, Map<String, String> flags) {
    Configuration config = compose(root, env, flags);
    String where = where(root, env);
    HostLayout layout =
        new HostLayout(
            root,
            absolute(config, QEMU_CONF, where),
            absolute(config, APPARMOR_DIR, where),
            absolute(config, LIBVIRT_DIR, where),
            absolute(config, STATE_DIR, where),
            absolute(config, APPARMOR_PARSER, where),
            Duration.ofSeconds(seconds(config, LOCK_TIMEOUT, where)),
            Duration.ofSeconds(seconds(config, PARSER_TIMEOUT, where)));
    boolean hookStrict =
        choice(config, HOOK_STRICT, where, "true or false",
            Map.of("true", true, "yes", true, "1", true, "false", false, "no", false, "0", false));
    boolean reloadAllowed =
        choice(config, RELOAD, where, "auto or never", Map.of("auto", true, "never", false));
    Duration hookTimeout = Duration.ofSeconds(seconds(config, HOOK_TIMEOUT, where));
    return new Settings(layout, hookStrict, hookTimeout, reloadAllowed);
  }

  /** The layout part of {@link #read}. */
  static HostLayout load(Path root, Map<String, String> env, Map<String, String> flags) {
    return read(root, env, flags).layout();
  }

  private static boolean choice(
      Configuration config, String key, String where, String expected, Map<String, Boolean> words) {
    String value = config.getString(key).strip().toLowerCase(Locale.ROOT);
    Boolean b = words.get(value);
    if (b == null) {
      throw new InvalidInputException(
          SourceLocation.ofFile(where), "setting " + key + " must be " + expected + ": " + value);
    }
    return b;
  }

  private static Configuration compose(
      Path root, Map<String, String> env, Map<String, String> flags) {
    CompositeConfiguration config = new CompositeConfiguration();
    config.addConfiguration(new MapConfiguration(new LinkedHashMap<>(flags)));
    config.addConfiguration(new MapConfiguration(fromEnvironment(env)));
    Path file = configFile(root, env);
    if (Files.isRegularFile(file)) {
      config.addConfiguration(properties(file));
    }
    config.addConfiguration(new MapConfiguration(DEFAULTS));
    return config;
  }

  private static String where(Path root, Map<String, String> env) {
    Path file = configFile(root, env);
    return Files.isRegularFile(file) ? file.toString() : "settings";
  }

  private static Path configFile(Path root, Map<String, String> env) {
    String explicit = env.get(configEnvironmentName());
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit);
    }
    return root.resolve(CONFIG_FILE.substring(1));
  }

  private static Map<String, Object> fromEnvironment(Map<String, String> env) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : DEFAULTS.keySet()) {
      String value = env.get(environmentName(key));
      if (value != null && !value.isEmpty()) {
        out.put(key, value);
      }
    }
    return out;
  }

  private static Configuration properties(Path file) {
    try {
      PropertiesConfiguration p = new PropertiesConfiguration();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.read(reader);
      }
      p.getKeys()
          .forEachRemaining(
              k -> {
                if (!DEFAULTS.containsKey(k)) {
                  throw new InvalidInputException(
                      SourceLocation.ofFile(file.toString()),
                      "unknown setting '" + k + "' (known: " + String.join(", ", sortedKeys()) + ")");
                }
              });
      return p;
    } catch (ConfigurationException | IOException e) {
      throw new InvalidInputException(SourceLocation.ofFile(file.toString()), e.getMessage());
    }
  }

  private static Iterable<String> sortedKeys() {
    return DEFAULTS.keySet().stream().sorted().toList();
  }

  private static Path absolute(Configuration config, String key, String where) {
    String value = config.getString(key);
    Path p = Path.of(value);
    if (!p.isAbsolute()) {
      throw new InvalidInputException(
          SourceLocation.ofFile(where), "setting " + key + " must be an absolute path: " + value);
    }
    return p;
  }

  private static long seconds(Configuration config, String key, String where) {
    String value = config.getString(key);
    try {
      long s = Long.parseLong(value.trim());
      if (s < 0 || s > 86_400) {
        throw new NumberFormatException();
      }
      return s;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          SourceLocation.ofFile(where),
          "setting " + key + " must be a number of seconds between 0 and 86400: " + value);
    }
  }
}
