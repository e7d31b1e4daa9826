package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man pages and completion the Debian package ships, as Debian policy wants them. */
class DocsGeneratorTest {

  private static final Pattern NAME = Pattern.compile("^\\.SH NAME\\n(.*)\\n", Pattern.MULTILINE);

  @TempDir Path dir;
  private List<Path> pages;

  @BeforeEach
  void generate() throws IOException {
    DocsGenerator.generate(dir, "1.2.3");
    try (Stream<Path> s = Files.list(dir.resolve("man"))) {
      pages = s.sorted().toList();
    }
    assertThat(pages).hasSizeGreaterThan(5);
  }

  private static String text(Path page) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(page))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void pagesAreCompressedAsGzipDashNineN() throws IOException {
    for (Path page : pages) {
      byte[] b = Files.readAllBytes(page);
      assertThat(b[0] & 0xff).isEqualTo(0x1f);
      assertThat(b[1] & 0xff).isEqualTo(0x8b);
      // No name, no time stamp, maximum compression flagged (file(1) says "max compression").
      assertThat(b[3]).as(page + " flags").isZero();
      assertThat(new byte[] {b[4], b[5], b[6], b[7]}).as(page + " mtime").containsOnly(0);
      assertThat(b[8]).as(page + " XFL").isEqualTo((byte) 2);
      assertThat(text(page)).startsWith(".TH ");
    }
  }

  @Test
  void everyNameLineIsOneWholeSentence() throws IOException {
    for (Path page : pages) {
      Matcher m = NAME.matcher(text(page));
      assertThat(m.find()).as(page.toString()).isTrue();
      String line = m.group(1);
      String stem = page.getFileName().toString().replace(".1.gz", "");
      assertThat(line).as(page.toString()).startsWith(stem.replace("-", "\\-") + " \\- ");
      assertThat(line).as(page.toString()).endsWith(".");
    }
    assertThat(text(dir.resolve("man/svirtctl-hook.1.gz")))
        .contains("svirtctl\\-hook \\- libvirt qemu hook (installed by apply with apparmor.guests.hook: true).\n");
  }

  @Test
  void everyPageHasExitStatusEnvironmentAndFiles() throws IOException {
    for (Path page : pages) {
      assertThat(text(page))
          .as(page.toString())
          .contains(".SH EXIT STATUS\n")
          .contains(".SH ENVIRONMENT\n")
          .contains(".SH FILES\n")
          .contains("\\fBSVIRTCTL_STATE_DIR\\fR")
          .contains("\\fI/etc/svirtctl/svirtctl.properties\\fR");
    }
  }

  @Test
  void completionIsSourcedNotRunSoItHasNoInterpreterLine() throws IOException {
    String completion = Files.readString(dir.resolve("completion/svirtctl"));
    assertThat(completion).doesNotStartWith("#!").contains("complete -F");
  }
}
