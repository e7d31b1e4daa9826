package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Running the real ansible-playbook for the fleet tests: the svirtctl.svirt collection the build
 * made, installed with ansible-galaxy into a scratch path, and each host's PLAY RECAP line.
 */
final class Playbooks {

  private static final Pattern RECAP =
      Pattern.compile(
          "^(\\S+)\\s+:\\s+ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)",
          Pattern.MULTILINE);

  /** A host's line of the PLAY RECAP. */
  record Recap(int ok, int changed, int unreachable, int failed) {}

  private Playbooks() {}

  /** The collection archive {@code mvn package} built in target/. */
  static Path collectionArchive() throws IOException {
    try (Stream<Path> s = Files.list(ExternalTool.basedir().resolve("target"))) {
      List<Path> found =
          s.filter(p -> p.getFileName().toString().matches("svirtctl-svirt-.+\\.tar\\.gz")).toList();
      if (found.isEmpty() && !"1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS"))) {
        Assumptions.abort("no target/svirtctl-svirt-*.tar.gz: run mvn package");
      }
      assertThat(found).as("one collection archive in target/").hasSize(1);
      return found.get(0);
    }
  }

  /**
   * Installs the built collection with {@code ansible-galaxy collection install} below {@code
   * dir}; returns the path to give ansible as {@code ANSIBLE_COLLECTIONS_PATH}.
   */
  static Path installCollection(Path dir) throws IOException, InterruptedException {
    Path galaxy = ExternalTool.require("ansible-galaxy", "ansible-core");
    Path into = dir.resolve("collections");
    ExternalTool.Run install =
        ExternalTool.run(
            List.of(galaxy.toString(), "collection", "install", "--offline", "-p", into.toString(),
                collectionArchive().toString()),
            dir, env(dir, into), Optional.empty());
    assertThat(install.code()).as(install.both()).isZero();
    assertThat(into.resolve("ansible_collections/svirtctl/svirt/plugins/modules/svirtctl.py"))
        .isRegularFile();
    return into;
  }

  /** The environment of every ansible command in a test: its own home, temp and collections. */
  static Map<String, String> env(Path dir, Path collections) throws IOException {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path tmp = Files.createDirectories(dir.resolve("ansible-tmp"));
    Map<String, String> env = new TreeMap<>();
    env.put("HOME", home.toString());
    env.put("ANSIBLE_LOCAL_TEMP", tmp.toString());
    env.put("ANSIBLE_REMOTE_TEMP", tmp.toString());
    env.put("ANSIBLE_COLLECTIONS_PATH", collections.toString());
    env.put("ANSIBLE_NOCOLOR", "1");
    env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
    env.put("LC_ALL", "C.UTF-8");
    return env;
  }

  /** Runs one playbook of {@code playbook-examples/fleet} with that directory's ansible.cfg. */
  static ExternalTool.Run run(Path dir, Path collections, Path inventory, String playbook,
      String... extra) throws IOException, InterruptedException {
    Path fleet = ExternalTool.basedir().resolve("playbook-examples/fleet");
    return runIn(fleet, dir, collections, inventory, fleet.resolve(playbook), extra);
  }

  /**
   * Runs a playbook of {@code playbook-examples} (path relative to it) from its own directory,
   * with {@code playbook-examples/fleet/ansible.cfg}.
   */
  static ExternalTool.Run runExample(Path dir, Path collections, Path inventory, String playbook,
      String... extra) throws IOException, InterruptedException {
    Path book = ExternalTool.basedir().resolve("playbook-examples").resolve(playbook);
    return runIn(book.getParent(), dir, collections, inventory, book, extra);
  }

  private static ExternalTool.Run runIn(Path cwd, Path dir, Path collections, Path inventory,
      Path book, String... extra) throws IOException, InterruptedException {
    Path ansible = ExternalTool.require("ansible-playbook", "ansible-core");
    Path examples = ExternalTool.basedir().resolve("playbook-examples");
    List<String> cmd = new ArrayList<>(List.of(ansible.toString(), "-i", inventory.toString()));
    cmd.addAll(List.of(extra));
    cmd.add(book.toString());
    Map<String, String> env = env(dir, collections);
    env.put("ANSIBLE_CONFIG", examples.resolve("fleet/ansible.cfg").toString());
    return ExternalTool.run(cmd, cwd, env, Optional.empty());
  }

  /** Each host's PLAY RECAP line. */
  static Map<String, Recap> recap(ExternalTool.Run run) {
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
    return hosts;
  }
}
