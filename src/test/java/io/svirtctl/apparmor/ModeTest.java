package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.Fixtures;
import io.svirtctl.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModeTest {

  @Test
  void agreesWithTheModeApparmorParser308ReportsForEveryRecordedProfile() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> seen = new ArrayList<>();
    List<String> disagreements = new ArrayList<>();
    for (String line : Files.readAllLines(Fixtures.path("apparmor/parser-behaviour-3.0.8.jsonl"))) {
      JsonNode rec = json.readTree(line);
      JsonNode modeLines = rec.get("apparmor_parser_3_0_8").get("debug_mode_lines");
      if (modeLines == null || !modeLines.isArray() || modeLines.isEmpty()) {
        continue;
      }
      // "Mode: complain, Audit" -> complain; "Mode:" (no mode flag) is enforce.
      String reported = modeLines.get(0).asText().replaceFirst("^Mode:\\s*", "").split(",")[0].strip();
      String kernel = reported.isEmpty() ? "enforce" : reported;
      ProfileDocument doc;
      try {
        doc = ProfileDocument.parse(rec.get("id").asText(), rec.get("input").asText());
      } catch (InvalidInputException e) {
        continue;
      }
      seen.add(kernel);
      if (!doc.mode().label().equals(kernel)) {
        disagreements.add(rec.get("id").asText() + ": parser " + kernel + ", svirtctl " + doc.mode().label());
      }
    }
    assertThat(seen).as("recorded modes").contains("enforce", "complain", "kill", "unconfined");
    assertThat(disagreements).isEmpty();
  }

  @Test
  void anUnconfinedFlagBesideOthersIsUnconfinedNotEnforce() {
    ProfileDocument doc =
        ProfileDocument.parse("p", "profile libvirt-x flags=(attach_disconnected, unconfined) {\n}\n");
    assertThat(doc.mode()).isEqualTo(Mode.UNCONFINED);
    assertThat(doc.mode().confines()).isFalse();
    assertThat(doc.withMode(Mode.ENFORCE).text()).isEqualTo("profile libvirt-x flags=(attach_disconnected) {\n}\n");
    assertThat(doc.withMode(Mode.KILL).text())
        .isEqualTo("profile libvirt-x flags=(attach_disconnected, kill) {\n}\n");
    assertThat(ProfileDocument.parse("p", "profile x flags=(kill) {\n}\n").mode().confines()).isTrue();
  }
}
