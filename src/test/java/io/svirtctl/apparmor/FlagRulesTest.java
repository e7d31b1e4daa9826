package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FlagRulesTest {

  /** A one-line header whose only content is a flag list: "profile t flags=(a, b) {" or "/x (a) {". */
  private static final Pattern FLAG_HEADER =
      Pattern.compile("^(?:profile \\S+|\"?/\\S+\"?)(?: flags\\s*=\\s*| )\\(([^)]+)\\)\\s*\\{\\n\\}\\n$");

  @Test
  void agreesWithApparmorParser308OnEveryRecordedFlagList() throws IOException {
    ObjectMapper json = new ObjectMapper();
    int compared = 0;
    List<String> disagreements = new ArrayList<>();
    for (String line : Files.readAllLines(Fixtures.path("apparmor/parser-behaviour-3.0.8.jsonl"))) {
      JsonNode rec = json.readTree(line);
      Matcher m = FLAG_HEADER.matcher(rec.get("input").asText());
      if (!m.matches()) {
        continue;
      }
      List<String> flags = Arrays.stream(m.group(1).split("[,\\s]+")).filter(f -> !f.isEmpty()).toList();
      boolean parserAccepts = rec.get("apparmor_parser_3_0_8").get("rc").asInt() == 0;
      boolean weAccept = FlagRules.problems(flags).isEmpty();
      compared++;
      if (parserAccepts != weAccept) {
        disagreements.add(rec.get("id").asText() + " " + flags);
      }
    }
    assertThat(compared).as("recorded flag lists").isGreaterThanOrEqualTo(20);
    assertThat(disagreements).isEmpty();
  }

  @Test
  void everyPairOfDifferentModesConflicts() {
    List<String> modes = List.of("enforce", "complain", "kill", "unconfined");
    for (String a : modes) {
      for (String b : modes) {
        assertThat(FlagRules.problems(List.of(a, b))).as(a + "," + b).hasSize(a.equals(b) ? 0 : 1);
      }
    }
    assertThat(FlagRules.problems(List.of("complain", "kill")))
        .containsExactly("profile flag 'complain' conflicts with 'kill'");
  }

  @Test
  void exclusivePairsConflictAndEachAloneIsFine() {
    List<List<String>> pairs = List.of(
        List.of("attach_disconnected", "no_attach_disconnected"),
        List.of("chroot_relative", "namespace_relative"),
        List.of("chroot_attach", "chroot_no_attach"),
        List.of("mediate_deleted", "delegate_deleted"));
    for (List<String> p : pairs) {
      assertThat(FlagRules.problems(p)).singleElement().asString().contains("conflicts with");
      assertThat(FlagRules.problems(List.of(p.get(0)))).isEmpty();
      assertThat(FlagRules.problems(List.of(p.get(1)))).isEmpty();
    }
  }

  @Test
  void unknownFlagsAreNamedWithASuggestion() {
    assertThat(FlagRules.problems(List.of("Complain")))
        .containsExactly("unknown profile flag 'Complain' (did you mean 'complain'?)");
    assertThat(FlagRules.problems(List.of("interruptible")))
        .containsExactly("unknown profile flag 'interruptible'");
    assertThat(FlagRules.problems(List.of("attach_disconnected", "audit", "mediate_deleted", "chroot_relative")))
        .isEmpty();
  }
}
