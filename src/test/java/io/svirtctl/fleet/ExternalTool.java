package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finding and running the outside programs the fleet integration tests need (ansible-playbook,
 * git, dpkg). A missing tool skips the test, or fails it when {@code SVIRTCTL_REQUIRE_TOOLS=1}.
 */
final class ExternalTool {

  /** The result of one run. */
  record Run(int code, String out, String err) {

    /** Both streams, for assertion messages. */
    String both() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private ExternalTool() {}

  /** The tool's path on {@code PATH}; skips or fails the test when it is missing. */
  static Path require(String name, String debianPackage) {
    Optional<Path> found = find(name);
    if (found.isEmpty()) {
      String why = name + " is not installed (Debian package " + debianPackage + ")";
      if ("1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS"))) {
        throw new AssertionError(why + " but SVIRTCTL_REQUIRE_TOOLS=1");
      }
      Assumptions.abort(why);
    }
    return found.get();
  }

  private static Optional<Path> find(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The packaged jar ({@code svirtctl.jar} system property); skips when it was not built. */
  static Path svirtctlJar() {
    Path jar = Path.of(System.getProperty("svirtctl.jar", "target/svirtctl.jar")).toAbsolutePath();
    Assumptions.assumeTrue(Files.isRegularFile(jar), "packaged jar missing: " + jar);
    return jar;
  }

  /** The repository checkout. */
  static Path basedir() {
    return Path.of(System.getProperty("svirtctl.basedir", ".")).toAbsolutePath().normalize();
  }

  /** The java launcher running the tests, to run the packaged jar with. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Runs a command to completion.
   *
   * @param env variables added to (or replacing) the inherited environment
   * @param stdin a file for standard input, or empty for none
   */
  static Run run(List<String> command, Path dir, Map<String, String> env, Optional<Path> stdin)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.redirectInput(
        ProcessBuilder.Redirect.from(stdin.map(Path::toFile).orElse(new File("/dev/null"))));
    Path out = Files.createTempFile("svirtctl-it-", ".out");
    Path err = Files.createTempFile("svirtctl-it-", ".err");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("finished: " + command).isTrue();
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
