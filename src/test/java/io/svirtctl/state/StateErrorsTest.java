package io.svirtctl.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden diagnostics: each directory under {@code state-errors/} holds a bad {@code state.yaml}
 * (read from standard input, so it is named {@code <stdin>}), optionally {@code host.txt} for
 * {@code --host}, and {@code expected.txt}, the exact standard error of {@code svirtctl
 * validate}. Run with {@code -Dgolden.update=true} to rewrite the expectations, then review them.
 */
class StateErrorsTest {

  private static final Path CASES = Path.of("src/test/resources/state-errors");

  @TestFactory
  Stream<DynamicTest> everyBadStateFileIsRefusedWithItsExactDiagnostics() throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(CASES)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(dirs).hasSizeGreaterThanOrEqualTo(40);
    return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
  }

  private static void check(Path dir) throws IOException {
    String state = Files.readString(dir.resolve("state.yaml"), StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of("validate", "-f", "-"));
    Path host = dir.resolve("host.txt");
    if (Files.exists(host)) {
      args.add("--host");
      args.add(Files.readString(host, StandardCharsets.UTF_8).strip());
    }
    CliRun r = CliRun.run(Map.of(), state, args.toArray(String[]::new));
    Path expected = dir.resolve("expected.txt");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(expected, r.err(), StandardCharsets.UTF_8);
    }
    assertThat(r.exitCode()).as("exit code").isEqualTo(65);
    assertThat(r.out()).as("stdout").isEmpty();
    assertThat(r.err().lines().toList())
        .as("stderr")
        .containsExactlyElementsOf(Files.readString(expected, StandardCharsets.UTF_8).lines().toList());
  }
}
