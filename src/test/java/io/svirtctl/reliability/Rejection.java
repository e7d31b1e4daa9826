package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/** What every refused input must look like to the user: a clear exit, clean lines, no write. */
final class Rejection {

  private Rejection() {}

  /**
   * Asserts exit {@code code}, an empty standard output, a standard error of one or more lines that
   * each start with {@code svirtctl: } (one per diagnostic, no stack trace), and that the root
   * holds exactly the files it held before, with no journaled run.
   */
  static void assertRejected(
      String what, int code, int exit, String out, String err, Path root,
      SortedMap<String, byte[]> before) {
    assertThat(exit).as("%s: exit (stderr: %s)", what, err).isEqualTo(code);
    assertThat(out).as("%s: stdout", what).isEmpty();
    List<String> lines = err.lines().toList();
    assertThat(lines).as("%s: stderr", what).isNotEmpty();
    for (String line : lines) {
      assertThat(line).as("%s: stderr line", what).startsWith("svirtctl: ");
      assertThat(line).as("%s: stderr line", what)
          .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
    }
    assertThat(CrashConsistencyIT.text(Trees.managed(Trees.snapshot(root))))
        .as("%s: files under the root", what)
        .isEqualTo(CrashConsistencyIT.text(Trees.managed(before)));
    assertThat(Files.exists(root.resolve("var/lib/svirtctl/journal")))
        .as("%s: a journal run was started", what)
        .isFalse();
  }

  static void assertRejected(
      String what, int code, CliRun r, Path root, SortedMap<String, byte[]> before) {
    assertRejected(what, code, r.exitCode(), r.out(), r.err(), root, before);
  }
}
