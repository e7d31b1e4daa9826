package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.svirtctl.Fixtures;
import io.svirtctl.InvalidInputException;
import io.svirtctl.host.ApparmorParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real apparmor_parser compiles svirtctl's output wherever it compiles the input, for every
 * fixture in both modes, with the include path the fixtures were recorded with.
 */
class ProfileModeParserIT {

  private static final Path PARSER = Path.of("/usr/sbin/apparmor_parser");

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> ourOutputCompilesWhereverTheInputDoes() throws IOException {
    ApparmorParser parser = new ApparmorParser(PARSER, Duration.ofSeconds(60));
    if (!parser.isInstalled()) {
      if ("1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS"))) {
        throw new AssertionError("apparmor_parser is required but missing at " + PARSER);
      }
      Assumptions.abort("apparmor_parser not installed at " + PARSER);
    }
    List<Path> includes =
        List.of(Fixtures.path("apparmor/support"), Path.of("/etc/apparmor.d"));
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(Fixtures.path("apparmor/profiles"))) {
      for (Path f : files.sorted().toList()) {
        tests.add(
            DynamicTest.dynamicTest(
                f.getFileName().toString(), () -> check(parser, includes, f)));
      }
    }
    return tests.stream();
  }

  private void check(ApparmorParser parser, List<Path> includes, Path input) throws IOException {
    String name = input.getFileName().toString();
    boolean inputCompiles = compiles(parser, includes, input);
    int recorded =
        ProfileModeConformanceTest.resultFor(ProfileModeConformanceTest.results(), name)
            .get("apparmor_parser_3_0_8")
            .get("rc")
            .asInt();
    assertThat(inputCompiles).as("parser verdict on the input as recorded").isEqualTo(recorded == 0);
    String text = Files.readString(input, StandardCharsets.UTF_8);
    ProfileDocument doc;
    try {
      doc = ProfileDocument.parse(name, text);
    } catch (InvalidInputException e) {
      assertThat(inputCompiles).as("we refuse only what the parser refuses").isFalse();
      return;
    }
    for (Mode mode : Mode.values()) {
      Path out = Files.createDirectories(dir.resolve(mode.label())).resolve(name);
      Files.writeString(out, doc.withMode(mode).text(), StandardCharsets.UTF_8);
      if (inputCompiles) {
        assertThatCode(() -> parser.check(includes, out))
            .as("%s in %s mode", name, mode.label())
            .doesNotThrowAnyException();
        assertThat(kernelMode(includes, out)).as("mode the parser gives %s", name).isEqualTo(mode.label());
        assertThat(doc.withMode(mode).mode()).isEqualTo(mode);
      }
    }
  }

  /** The mode of the file's first profile as the parser's debug dump reports it ("Mode: kill"). */
  private static String kernelMode(List<Path> includes, Path file) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(PARSER.toString(), "-Q", "-K", "-d"));
    if (Files.isRegularFile(ApparmorParser.DEFAULT_FEATURES)) {
      cmd.addAll(List.of("-M", ApparmorParser.DEFAULT_FEATURES.toString()));
    }
    for (Path i : includes) {
      cmd.addAll(List.of("-I", i.toString()));
    }
    cmd.add(file.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    Matcher m = Pattern.compile("(?m)^Mode:[ \\t]*([a-z]*)").matcher(out);
    if (!m.find()) {
      throw new AssertionError("no Mode line from the parser for " + file + ":\n" + out);
    }
    return m.group(1).isEmpty() ? "enforce" : m.group(1);
  }

  private static boolean compiles(ApparmorParser parser, List<Path> includes, Path file) {
    try {
      parser.check(includes, file);
      return true;
    } catch (InvalidInputException e) {
      return false;
    }
  }
}
