package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.Fixtures;
import io.svirtctl.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recorded AppArmor fixture, in both modes, against what Debian 12's aa-complain and
 * aa-enforce (apparmor-utils 3.0.8) did to it: same flag set on every header, the rest of the
 * file unchanged, and a second application changes nothing.
 */
class ProfileModeConformanceTest {

  static final String TOOL = "debian12-apparmor-utils-3.0.8";

  /** A flag clause at the end of a header: " flags=(...)", " flags = ( ... )" or " (...)". */
  private static final Pattern FLAG_CLAUSE =
      Pattern.compile("\\s+(?:flags\\s*=\\s*)?\\([^()]*\\)(?=\\s*\\{|\\s*$)");

  @TestFactory
  Stream<DynamicTest> everyFixtureInBothModes() throws IOException {
    Path dir = Fixtures.path("apparmor/profiles");
    JsonNode results = results();
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        // The AppArmor tools record only these two modes (aa-complain, aa-enforce).
        for (Mode mode : List.of(Mode.ENFORCE, Mode.COMPLAIN)) {
          tests.add(
              DynamicTest.dynamicTest(
                  f.getFileName() + " " + mode.label(), () -> check(f, mode, results)));
        }
      }
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(2 * 36);
    return tests.stream();
  }

  static JsonNode results() throws IOException {
    return new ObjectMapper().readTree(Fixtures.path("apparmor/results.json").toFile());
  }

  static JsonNode resultFor(JsonNode results, String fixture) {
    for (JsonNode n : results.get("fixtures")) {
      if (n.get("fixture").asText().equals("profiles/" + fixture)) {
        return n;
      }
    }
    throw new AssertionError("no recorded result for " + fixture);
  }

  private static void check(Path input, Mode mode, JsonNode results) throws IOException {
    String name = input.getFileName().toString();
    String text = Files.readString(input, StandardCharsets.UTF_8);
    JsonNode recorded = resultFor(results, name);
    int toolExit = recorded.get("results").get(TOOL + "/" + mode.label()).get("exit_code").asInt();
    boolean inputCompiles = recorded.get("apparmor_parser_3_0_8").get("rc").asInt() == 0;

    if (toolExit != 0 && !inputCompiles) {
      // The tools fail and the parser rejects the file too: we refuse it with a position.
      assertThatThrownBy(() -> ProfileDocument.parse(name, text))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith(name + ":");
      return;
    }
    ProfileDocument in = ProfileDocument.parse(name, text);
    ProfileDocument out = in.withMode(mode);

    if (toolExit != 0) {
      // Deliberate improvement (docs/apparmor.md): a header the tools cannot read but the parser
      // accepts (brace on the next line) is switched like any other.
      for (ProfileHeader h : out.headers()) {
        assertThat(h.flags().contains("complain")).isEqualTo(mode == Mode.COMPLAIN);
      }
    } else {
      Path expectedFile = Fixtures.path("apparmor/expected/" + TOOL + "/" + mode.label() + "/" + name);
      ProfileDocument expected =
          ProfileDocument.parse(name, Files.readString(expectedFile, StandardCharsets.UTF_8));
      assertThat(out.headers()).hasSameSizeAs(expected.headers());
      for (int i = 0; i < expected.headers().size(); i++) {
        ProfileHeader ours = out.headers().get(i);
        ProfileHeader theirs = expected.headers().get(i);
        assertThat(ours.path()).isEqualTo(theirs.path());
        assertThat(new HashSet<>(ours.flags()))
            .as("flags of %s", ours.path())
            .isEqualTo(new HashSet<>(theirs.flags()));
        assertThat(ours.flags()).doesNotHaveDuplicates();
      }
    }
    assertOnlyFlagClausesDiffer(text, out.text());
    assertThat(out.mode()).isEqualTo(mode);
    assertThat(out.withMode(mode).text()).as("idempotent").isEqualTo(out.text());
  }

  static void assertOnlyFlagClausesDiffer(String before, String after) {
    String[] a = before.split("\n", -1);
    String[] b = after.split("\n", -1);
    assertThat(b).hasSameSizeAs(a);
    Set<Integer> changed = new HashSet<>();
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i])) {
        changed.add(i + 1);
        assertThat(FLAG_CLAUSE.matcher(b[i]).replaceFirst(""))
            .as("line %d apart from its flag clause", i + 1)
            .isEqualTo(FLAG_CLAUSE.matcher(a[i]).replaceFirst(""));
      }
    }
  }
}
