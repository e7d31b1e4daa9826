package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks Ansible's own sanity tests make, with what Debian ships and no network, on the
 * svirtctl.svirt collection as ansible-galaxy installs it: ansible-doc, validate-modules,
 * pylint and pycodestyle with ansible-test's settings, and ansible-lint on the role and the
 * example playbooks. {@code ansible-test sanity} itself cannot run offline (it builds a virtual
 * environment with pip), so its checkers are run directly from the installed ansible-test.
 */
class AnsibleSanityIT {

  /** Debian's interpreter, which ansible-core and ansible-test are installed for. */
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path dir;
  private Path collections;
  private Path collection;
  private Path module;

  @BeforeEach
  void installTheCollection() throws IOException, InterruptedException {
    collections = Playbooks.installCollection(dir);
    collection = collections.resolve("ansible_collections/svirtctl/svirt");
    module = collection.resolve("plugins/modules/svirtctl.py");
  }

  private ExternalTool.Run run(Path cwd, Map<String, String> extraEnv, String... cmd)
      throws IOException, InterruptedException {
    Map<String, String> env = Playbooks.env(dir, collections);
    env.putAll(extraEnv);
    return ExternalTool.run(List.of(cmd), cwd, env, Optional.empty());
  }

  /** ansible-test's sanity directory (validate-modules, pylint and pep8 settings). */
  private Path sanityRoot() throws IOException, InterruptedException {
    ExternalTool.require("ansible-test", "ansible-core");
    ExternalTool.Run where =
        run(dir, Map.of(), PYTHON, "-c",
            "import ansible_test, os; print(os.path.dirname(ansible_test.__file__))");
    assertThat(where.code()).as(where.both()).isZero();
    Path root = Path.of(where.out().strip(), "_util/controller/sanity");
    assertThat(root).isDirectory();
    return root;
  }

  @Test
  void ansibleDocReadsTheModuleByItsFqcn() throws IOException, InterruptedException {
    Path doc = ExternalTool.require("ansible-doc", "ansible-core");
    ExternalTool.Run run = run(dir, Map.of(), doc.toString(), "svirtctl.svirt.svirtctl");

    assertThat(run.code()).as(run.both()).isZero();
    assertThat(run.err()).as(run.both()).isBlank();
    assertThat(run.out())
        .contains("> SVIRTCTL.SVIRT.SVIRTCTL")
        .contains("- definition")
        .contains("check_mode:")
        .contains("diff_mode:")
        .contains("- restart_required")
        .contains("svirtctl.svirt.svirtctl:");
  }

  @Test
  void validateModulesFindsNothing() throws IOException, InterruptedException {
    Path validate = sanityRoot().resolve("validate-modules/validate.py");
    String version = Files.readString(collection.resolve("MANIFEST.json"))
        .replaceAll("(?s).*\"version\": \"([^\"]+)\".*", "$1");
    ExternalTool.Run run =
        run(collection, Map.of(), PYTHON, validate.toString(), "--format", "json", "--arg-spec",
            "--collection", "ansible_collections/svirtctl/svirt", "--collection-version", version,
            "plugins/modules/svirtctl.py");

    assertThat(run.err()).as(run.both()).isBlank();
    assertThat(run.out().strip()).as(run.both()).isEqualTo("{}");
    assertThat(run.code()).as(run.both()).isZero();
  }

  @Test
  void pylintWithAnsibleTestsCollectionSettingsIsClean() throws IOException, InterruptedException {
    Path pylint = ExternalTool.require("pylint", "pylint");
    Path root = sanityRoot().resolve("pylint");
    ExternalTool.Run run =
        run(collection,
            Map.of(
                "PYTHONPATH", root.resolve("plugins").toString(),
                "ANSIBLE_TEST_MODULES_PATH", collection.resolve("plugins/modules").toString(),
                "ANSIBLE_TEST_MODULE_UTILS_PATH", collection.resolve("plugins/module_utils").toString()),
            pylint.toString(), "--rcfile", root.resolve("config/collection.cfg").toString(),
            "--load-plugins", "deprecated,string_format,unwanted", "--score", "n",
            module.toString());

    assertThat(run.out()).as(run.both()).isBlank();
    assertThat(run.code()).as(run.both()).isZero();
  }

  @Test
  void pycodestyleWithAnsibleTestsSettingsIsClean() throws IOException, InterruptedException {
    Path pycodestyle = ExternalTool.require("pycodestyle", "pycodestyle");
    List<String> ignore =
        Files.readAllLines(sanityRoot().resolve("pep8/current-ignore.txt")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    ExternalTool.Run run =
        run(collection, Map.of(), pycodestyle.toString(), "--max-line-length", "160",
            "--ignore", String.join(",", ignore), module.toString());

    assertThat(run.out()).as(run.both()).isBlank();
    assertThat(run.code()).as(run.both()).isZero();
  }

  @Test
  void ansibleLintPassesTheRoleAndThePlaybooksOnTheProductionProfile()
      throws IOException, InterruptedException {
    Path lint = ExternalTool.require("ansible-lint", "ansible-lint");
    ExternalTool.Run role =
        run(collection, Map.of(), lint.toString(), "--offline", "--nocolor", "-p", "roles/hypervisor");
    assertThat(role.code()).as(role.both()).isZero();
    assertThat(role.both()).contains("Passed with production profile: 0 failure(s), 0 warning(s)");

    Path examples = ExternalTool.basedir().resolve("playbook-examples");
    List<String> cmd =
        new ArrayList<>(List.of(lint.toString(), "--offline", "--nocolor", "-p"));
    try (Stream<Path> s = Stream.of("fleet", "gitops", "ansible-pull").flatMap(AnsibleSanityIT::playbooks)) {
      s.forEach(p -> cmd.add(examples.relativize(p).toString()));
    }
    assertThat(cmd).hasSizeGreaterThan(5);
    ExternalTool.Run books = run(examples, Map.of(), cmd.toArray(String[]::new));
    assertThat(books.code()).as(books.both()).isZero();
    assertThat(books.both())
        .contains("Passed with production profile: 0 failure(s), 0 warning(s)");
  }

  @Test
  void ansiblePullsPlaybookPassesSyntaxCheck() throws IOException, InterruptedException {
    Path playbook = ExternalTool.require("ansible-playbook", "ansible-core");
    Path local = ExternalTool.basedir().resolve("playbook-examples/ansible-pull/local.yml");
    // As ansible-pull runs it: on localhost.
    ExternalTool.Run run =
        run(dir, Map.of(), playbook.toString(), "--syntax-check", "-i", "localhost,",
            local.toString());
    assertThat(run.code()).as(run.both()).isZero();
    assertThat(run.out()).contains("playbook: " + local);
    assertThat(run.err()).as(run.both()).isBlank();
  }

  private static Stream<Path> playbooks(String folder) {
    Path examples = ExternalTool.basedir().resolve("playbook-examples").resolve(folder);
    try (Stream<Path> s = Files.list(examples)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
