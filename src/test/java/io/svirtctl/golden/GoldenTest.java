package io.svirtctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden cases: {@code src/test/resources/golden/<case>/} holds {@code state.yaml}, the host
 * ({@code tree} naming a base tree, plus a {@code root/} overlay), and what the user should see:
 * {@code plan.txt}, {@code plan.json}, {@code after/} (files that differ after apply),
 * {@code deleted.txt}, or {@code error.txt} for a run that must fail; {@code failures.txt}
 * (exit code and error lines) for a run that leaves resources out and applies the rest. Each case also proves
 * that a second apply changes nothing: same bytes, same mtimes, {@code changed: false}.
 *
 * <p>Runs in-process in {@code mvn test}: only the syntax check execs the real parser.
 *
 * <p>Regenerate deliberately with {@code -Dgolden.update=true} and review the diff.
 */
class GoldenTest {

  static final Path CASES = Path.of("src/test/resources/golden");
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @TempDir Path temp;

  @TestFactory
  Stream<DynamicTest> goldenCases() throws IOException {
    List<Path> cases;
    try (Stream<Path> s = Files.list(CASES)) {
      cases = s.filter(p -> Files.isRegularFile(p.resolve("state.yaml"))).sorted().toList();
    }
    assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> run(c)));
  }

  private void run(Path dir) throws IOException {
    Path root = temp.resolve(dir.getFileName().toString()).resolve("root");
    Trees.materialise(dir, root);
    SortedMap<String, byte[]> before = Trees.snapshot(root);
    Path work = temp.resolve(dir.getFileName().toString());
    Map<String, String> env = FakeParser.install(work);
    String state = dir.resolve("state.yaml").toString();

    CliRun plan = CliRun.run(env, "", "plan", "-f", state, "--host", "golden", "--root", root.toString());
    if (Files.exists(dir.resolve("error.txt")) || (UPDATE && plan.exitCode() == 65)) {
      expect(dir.resolve("error.txt"), "exit " + plan.exitCode() + "\n" + plan.err().replace(root.toString(), "<root>"));
      assertThat(Trees.snapshot(root)).as("nothing written").containsExactlyEntriesOf(before);
      return;
    }
    // Some resources not planned (a host file they depend on is broken): exit 1, the rest applies.
    boolean partial =
        Files.exists(dir.resolve("failures.txt")) || (UPDATE && plan.exitCode() == 1);
    int exit = partial ? 1 : 0;
    if (partial) {
      expect(dir.resolve("failures.txt"),
          "exit " + plan.exitCode() + "\n" + plan.err().replace(root.toString(), "<root>"));
    }
    assertThat(plan.exitCode()).as(plan.err()).isEqualTo(exit);
    expect(dir.resolve("plan.txt"), plan.out().replace(root.toString(), "<root>"));
    CliRun json = CliRun.run(env, "", "plan", "-f", state, "--host", "golden", "--root", root.toString(), "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isEqualTo(exit);
    expect(dir.resolve("plan.json"), json.out().replace(root.toString(), "<root>"));
    assertThat(Trees.snapshot(root)).as("plan writes nothing").containsExactlyEntriesOf(before);

    CliRun apply = CliRun.run(env, "", "apply", "-f", state, "--host", "golden", "--root", root.toString(), "--detailed-exitcode");
    if (partial) {
      assertThat(apply.exitCode()).as(apply.err()).isEqualTo(1);
      assertThat(apply.err()).isEqualTo(plan.err());
    } else {
      assertThat(apply.exitCode()).as(apply.err()).isIn(0, 2);
    }
    SortedMap<String, byte[]> after = Trees.managed(Trees.snapshot(root));
    expectTree(dir, before, after);
    expect(dir.resolve("reloads.txt"), FakeParser.log(work).replace(root.toString(), "<root>"));

    Map<String, FileTime> mtimes = Trees.mtimes(root);
    CliRun again = CliRun.run(env, "", "apply", "-f", state, "--host", "golden", "--root", root.toString(), "-o", "json", "--detailed-exitcode");
    // A partial run fails again (the broken file is still there) but applies nothing new.
    assertThat(again.exitCode()).as(again.err() + again.out()).isEqualTo(exit);
    assertThat(again.out()).contains("\"changed\":false");
    assertThat(Trees.managed(Trees.snapshot(root))).as("second apply is a no-op").containsExactlyEntriesOf(after);
    assertThat(Trees.mtimes(root)).as("second apply touches no file").containsExactlyEntriesOf(mtimes);
  }

  private static void expectTree(Path dir, SortedMap<String, byte[]> before, SortedMap<String, byte[]> after)
      throws IOException {
    SortedMap<String, byte[]> changed = new TreeMap<>();
    List<String> deleted = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : after.entrySet()) {
      byte[] b = before.get(e.getKey());
      if (b == null || !java.util.Arrays.equals(b, e.getValue())) {
        changed.put(e.getKey(), e.getValue());
      }
    }
    for (String k : Trees.managed(before).keySet()) {
      if (!after.containsKey(k)) {
        deleted.add(k);
      }
    }
    Path afterDir = dir.resolve("after");
    if (UPDATE) {
      Trees.deleteRecursively(afterDir);
      for (Map.Entry<String, byte[]> e : changed.entrySet()) {
        Path p = afterDir.resolve(e.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, e.getValue());
      }
    }
    SortedMap<String, byte[]> expected = Files.isDirectory(afterDir) ? Trees.snapshot(afterDir) : new TreeMap<>();
    assertThat(Trees.asText(changed)).as("files changed by apply").isEqualTo(Trees.asText(expected));
    expect(dir.resolve("deleted.txt"), String.join("\n", deleted) + (deleted.isEmpty() ? "" : "\n"));
  }

  private static void expect(Path file, String actual) throws IOException {
    if (UPDATE) {
      if (actual.isEmpty()) {
        Files.deleteIfExists(file);
        return;
      }
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertThat(actual).as(file.toString()).isEqualTo(expected);
  }
}
