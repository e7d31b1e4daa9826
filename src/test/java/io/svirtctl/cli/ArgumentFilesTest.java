package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No command reads {@code @FILE} as a file of more arguments: an argument starting with {@code @}
 * (a libvirt domain name, say) is taken as it is, whoever wrote it.
 */
class ArgumentFilesTest {

  @TempDir Path dir;

  @Test
  void noCommandExpandsAnArgumentFile() throws IOException {
    Path file = Files.writeString(dir.resolve("args"), "--help\n");
    for (Map.Entry<String, Class<?>> sub : SvirtctlCommand.SUBCOMMANDS) {
      CliRun run = CliRun.run(sub.getKey(), "@" + file);
      assertThat(run.out() + run.err())
          .as(sub.getKey() + " read " + file + " as arguments")
          .doesNotContain("Usage: svirtctl");
    }
    CliRun top = CliRun.run("@" + file);
    assertThat(top.out() + top.err()).doesNotContain("Usage: svirtctl");
  }
}
