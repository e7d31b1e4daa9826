package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command's demo, {@code playbook-examples/demo/run.sh}: it shows the guests'
 * status before and after the apply, works in a temporary directory of its own (two users never
 * collide) and removes it at exit, leaving the shipped tree as it was.
 */
class DemoScriptIT {

  @TempDir Path tmp;

  @Test
  void showsStatusBeforeAndAfterInItsOwnTemporaryDirectory() throws Exception {
    ExternalTool.svirtctlJar();
    Path base = ExternalTool.basedir();
    Map<String, String> env =
        Map.of("TMPDIR", tmp.toString(), "SVIRTCTL_JAR", ExternalTool.svirtctlJar().toString());
    ExternalTool.Run first =
        ExternalTool.run(List.of(base.resolve("playbook-examples/demo/run.sh").toString()), tmp, env, Optional.empty());
    ExternalTool.Run second =
        ExternalTool.run(List.of(base.resolve("playbook-examples/demo/run.sh").toString()), tmp, env, Optional.empty());
    assertThat(first.code()).as(first.both()).isZero();
    assertThat(second.code()).as(second.both()).isZero();

    String out = first.out();
    int before = out.indexOf("== svirtctl status: the guests before");
    int apply = out.indexOf("== svirtctl apply --diff");
    int after = out.indexOf("== svirtctl status: the guests after");
    assertThat(before).isNotNegative().isLessThan(apply);
    assertThat(after).isGreaterThan(apply);
    assertThat(out.substring(before, apply)).contains("4 not in sync.");
    assertThat(out.substring(after)).contains("0 not in sync.").contains("last run:");
    assertThat(copyDir(first.out())).isNotEqualTo(copyDir(second.out()));
    assertThat(copyDir(first.out())).startsWith(tmp.toString() + "/");
    try (var left = Files.list(tmp)) {
      assertThat(left.toList()).as("scratch copies removed at exit").isEmpty();
    }
  }

  private static String copyDir(String out) {
    Matcher m = Pattern.compile("host copied to (\\S+)\\)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }
}
