package io.svirtctl.reliability;

import io.svirtctl.TestHosts;
import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile desired-state files against {@code svirtctl apply}: every one ends in exit 65 with one
 * {@code svirtctl: } line per problem, no stack trace, and nothing written under the root.
 */
class HostileStateIT {

  /** Change with {@code -Dsvirtctl.test.seed=N} to explore; a failure names its seed and case. */
  private static final long SEED = Long.getLong("svirtctl.test.seed", 20261129L);

  private static final int GENERATED = 320;

  @TempDir Path tmp;

  private Path root;
  private SortedMap<String, byte[]> before;
  private Map<String, String> env;

  private void demoHost() throws IOException {
    if (root == null) {
      root = TestHosts.copyDemo(tmp);
      before = Trees.snapshot(root);
      env = FakeParser.install(tmp.resolve("parser"));
    }
  }

  private CliRun apply(Path state) {
    return CliRun.run(
        env, "", "apply", "-f", state.toString(), "--host", "demo-hv01", "--root", root.toString());
  }

  private void rejected(String what, byte[] content) throws IOException {
    Path state = tmp.resolve("state.yaml");
    Files.write(state, content);
    Rejection.assertRejected(what, 65, apply(state), root, before);
  }

  @Test
  void theTemplateItselfIsValid() throws IOException {
    demoHost();
    Path copy = tmp.resolve("valid-root");
    Trees.copy(root, copy);
    Path state = tmp.resolve("valid.yaml");
    Files.writeString(state, HostileStates.valid());
    CliRun r = CliRun.run(env, "", "plan", "-f", state.toString(), "--host", "demo-hv01",
        "--root", copy.toString());
    org.assertj.core.api.Assertions.assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @TestFactory
  Stream<DynamicTest> absentNamesAreWarningsNeverGuests() throws IOException {
    demoHost();
    return HostileStates.ABSENT_NAMES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      Path state = tmp.resolve("absent.yaml");
      Files.writeString(state, HostileStates.withGuest(name));
      CliRun r = CliRun.run(env, "", "plan", "-f", state.toString(), "--host", "demo-hv01",
          "--root", root.toString(), "-o", "json");
      org.assertj.core.api.Assertions.assertThat(r.exitCode()).as(r.err()).isZero();
      org.assertj.core.api.Assertions.assertThat(r.out())
          .contains("is defined on this host; its entry is skipped")
          .doesNotContain("(web01)");
      org.assertj.core.api.Assertions.assertThat(Trees.snapshot(root))
          .containsExactlyEntriesOf(before);
    }));
  }

  @TestFactory
  Stream<DynamicTest> generatedMalformedStateFiles() throws IOException {
    demoHost();
    List<HostileStates.Case> cases = new HostileStates(SEED).generate(GENERATED);
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    "seed " + SEED + ": " + c.description(),
                    () -> rejected("seed " + SEED + " " + c.description(), c.content())));
  }

  @TestFactory
  Stream<DynamicTest> resourceAttacks() throws IOException {
    demoHost();
    List<DynamicTest> tests = new ArrayList<>();
    tests.add(DynamicTest.dynamicTest("alias bomb", () -> rejected("alias bomb", aliasBomb())));
    tests.add(DynamicTest.dynamicTest("anchor and one alias", () -> rejected("alias",
        (HostileStates.valid() + "x: &a [1]\ny: *a\n").getBytes(StandardCharsets.UTF_8))));
    tests.add(DynamicTest.dynamicTest("flow nesting 10000 deep", () -> rejected("flow nesting",
        ("apiVersion: svirtctl/v1\nkind: Host\nqemu_conf: " + "[".repeat(10_000)
            + "]".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8))));
    tests.add(DynamicTest.dynamicTest("block nesting 200 deep", () -> rejected("block nesting",
        blockNesting(200))));
    tests.add(DynamicTest.dynamicTest("binary garbage", () -> rejected("garbage", garbage(65536))));
    tests.add(DynamicTest.dynamicTest("ELF header", () -> rejected("elf",
        new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
    tests.add(DynamicTest.dynamicTest("gzip header", () -> rejected("gzip",
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3})));
    tests.add(DynamicTest.dynamicTest("UTF-16 with BOM", () -> rejected("utf16",
        HostileStates.valid().getBytes(StandardCharsets.UTF_16))));
    for (String text : new String[] {"", " \n\t\n", "---\n", "--- []\n", "[1, 2]\n", "42\n",
        "null\n", "~\n", "\"just a string\"\n", "---\n---\n", "{}\n"}) {
      tests.add(DynamicTest.dynamicTest("document " + text.strip(), () -> rejected("doc " + text,
          text.getBytes(StandardCharsets.UTF_8))));
    }
    tests.add(DynamicTest.dynamicTest("two documents", () -> rejected("two docs",
        (HostileStates.valid() + "---\n" + HostileStates.valid()).getBytes(StandardCharsets.UTF_8))));
    tests.add(DynamicTest.dynamicTest("a duplicated key", () -> rejected("dup key",
        (HostileStates.valid() + "kind: Fleet\n").getBytes(StandardCharsets.UTF_8))));
    tests.add(DynamicTest.dynamicTest("a 20 MB string", () -> rejected("long string",
        ("apiVersion: \"" + "x".repeat(20 * 1024 * 1024) + "\"\n").getBytes(StandardCharsets.UTF_8))));
    return tests.stream();
  }

  /** A 100 MB state file, written in chunks, read by the packaged jar in a 64 MB heap. */
  @Test
  void aHundredMegabyteFileIsRefusedWithoutReadingIt() throws IOException {
    demoHost();
    Path big = tmp.resolve("big.yaml");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(big))) {
      out.write(HostileStates.valid().getBytes(StandardCharsets.UTF_8));
      byte[] line = "# padding padding padding padding padding padding padding padding\n"
          .getBytes(StandardCharsets.UTF_8);
      for (long written = 0; written < 100L * 1024 * 1024; written += line.length) {
        out.write(line);
      }
    }
    JarRun r =
        JarRun.run(
            List.of("-Xmx64m"), env, "apply", "-f", big.toString(), "--host", "demo-hv01",
            "--root", root.toString(), "--apparmor-parser", env.get("SVIRTCTL_APPARMOR_PARSER"));
    Rejection.assertRejected("100 MB file", 65, r.code(), r.out(), r.err(), root, before);
  }

  private static byte[] aliasBomb() {
    StringBuilder y = new StringBuilder("apiVersion: svirtctl/v1\nkind: Host\n");
    y.append("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 10; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        y.append(j == 0 ? "" : ",").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    return y.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] blockNesting(int depth) {
    StringBuilder y = new StringBuilder("apiVersion: svirtctl/v1\nkind: Host\nqemu_conf:\n");
    for (int i = 1; i <= depth; i++) {
      y.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    y.append("  ".repeat(depth + 1)).append("v\n");
    return y.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] garbage(int size) {
    byte[] bytes = new byte[size];
    new Random(SEED).nextBytes(bytes);
    return bytes;
  }
}
