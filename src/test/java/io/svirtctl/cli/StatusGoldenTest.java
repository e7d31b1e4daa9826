package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.testing.Exposition;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden cases of {@code svirtctl status}: {@code src/test/resources/status/<case>/} holds the
 * host ({@code tree} naming a base tree, a {@code root/} overlay) and, optionally, a
 * {@code state.yaml}; {@code status.txt}, {@code status.json} and {@code status.prom} are what the
 * user sees. The metrics also pass the exposition-format checks of {@link Exposition}, and status
 * writes nothing. Regenerate deliberately with {@code -Dgolden.update=true} and review the diff.
 */
class StatusGoldenTest {

  static final Path CASES = Path.of("src/test/resources/status");
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @TempDir Path temp;

  @TestFactory
  Stream<DynamicTest> statusCases() throws IOException {
    List<Path> cases;
    try (Stream<Path> s = Files.list(CASES)) {
      cases = s.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(cases).hasSizeGreaterThanOrEqualTo(3);
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> run(c)));
  }

  private void run(Path dir) throws IOException {
    Path root = temp.resolve(dir.getFileName().toString()).resolve("root");
    Trees.materialise(dir, root);
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    List<String> args = new ArrayList<>(List.of("status", "--root", root.toString()));
    if (Files.exists(dir.resolve("state.yaml"))) {
      args.addAll(List.of("-f", dir.resolve("state.yaml").toString(), "--host", "golden"));
    }
    String text = status(args, "text", root);
    String json = status(args, "json", root);
    String prom = status(args, "prometheus", root);
    expect(dir.resolve("status.txt"), text);
    expect(dir.resolve("status.json"), json);
    expect(dir.resolve("status.prom"), prom);
    assertThat(Exposition.check(prom)).as("exposition format problems").isEmpty();
    JsonNode doc = new ObjectMapper().readTree(json);
    assertThat(doc.get("format_version").asInt()).isEqualTo(1);
    assertThat(doc.get("guests").size())
        .as("one guest_info series per guest")
        .isEqualTo(Exposition.samples(prom, "svirtctl_guest_info").size());
    assertThat(Trees.snapshot(root)).as("status writes nothing").containsExactlyEntriesOf(before);
  }

  private static String status(List<String> args, String format, Path root) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("-o", format));
    CliRun run = CliRun.run(all.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    // Without a state file the host is this machine: its name is masked where status prints it.
    String host = StateInput.hostname();
    return run.out()
        .replace(root.toString(), "<root>")
        .replace("\nhost " + host + "\n", "\nhost <hostname>\n")
        .replace("\"host\":\"" + host + "\"", "\"host\":\"<hostname>\"");
  }

  private static void expect(Path file, String actual) throws IOException {
    if (UPDATE) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertThat(actual).as(file.toString()).isEqualTo(expected);
  }
}
