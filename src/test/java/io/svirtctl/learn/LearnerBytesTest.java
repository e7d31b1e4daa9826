package io.svirtctl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.Fixtures;
import io.svirtctl.Uuid;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learn reads logs as bytes and parses each distinct record once ({@link RecordScan}, {@link
 * RecordKeys}); the report must be exactly what parsing every line with {@link RecordParser}
 * gives. Both read the same logs: AppArmor's whole log corpus, every input form, and the lines
 * a byte reader gets wrong first (line endings, buffer edges, broken UTF-8, unterminated quotes,
 * malformed stamps, records without a stamp), shuffled and repeated so the memo is used.
 */
class LearnerBytesTest {

  @TempDir Path temp;

  private static final String WEB01 = LearnLogs.WEB01;
  private static final String DB01 = "9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";

  private static final Learner.Declared NOTHING_DECLARED = new Learner.Declared() {
    @Override
    public Optional<String> name(Uuid uuid) {
      return Optional.empty();
    }

    @Override
    public DeclaredRules rules(Uuid uuid, Optional<String> name) {
      return DeclaredRules.of(List.of(), Map.of());
    }

    @Override
    public Optional<String> refusal(String rule) {
      return Optional.empty();
    }
  };

  private static RecordParser parser() {
    return new RecordParser(new LineDate(
        Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC), ZoneOffset.UTC));
  }

  /** The report of reading {@code log} as bytes, with a buffer of {@code buffer} bytes. */
  private static LearnReport bytes(byte[] log, int buffer, Set<Uuid> only, OptionalLong since)
      throws IOException {
    Learner l = new Learner(parser(), only, since, buffer, 1, Long.MAX_VALUE);
    l.read("log", new ByteArrayInputStream(log));
    return l.report(NOTHING_DECLARED);
  }

  /** The report of reading {@code log} from a file in parts of about {@code part} bytes. */
  private static LearnReport parts(Path file, int threads, long part) throws IOException {
    Learner l = new Learner(parser(), Set.of(), OptionalLong.empty(), 4096, threads, part);
    l.read("log", file);
    return l.report(NOTHING_DECLARED);
  }

  /** The report of parsing every decoded line with {@link RecordParser}. */
  private static LearnReport lines(byte[] log, Set<Uuid> only, OptionalLong since)
      throws IOException {
    Learner l = new Learner(parser(), only, since);
    l.readEachLine("log", new BufferedReader(new InputStreamReader(
        new ByteArrayInputStream(log), StandardCharsets.UTF_8)));
    return l.report(NOTHING_DECLARED);
  }

  private static void sameReports(byte[] log) throws IOException {
    Set<Uuid> web01 = Set.of(Uuid.parse(WEB01).orElseThrow());
    OptionalLong since = OptionalLong.of(1764669601_000L);
    for (Set<Uuid> only : List.of(Set.<Uuid>of(), web01)) {
      for (OptionalLong s : List.of(OptionalLong.empty(), since)) {
        LearnReport expected = lines(log, only, s);
        for (int buffer : new int[] {16, 61, 4096, 1 << 20}) {
          assertThat(bytes(log, buffer, only, s))
              .as("buffer %d, guests %s, since %s", buffer, only, s).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void theCorpusEveryFormAndAwkwardLinesGiveTheReportOfParsingEachLine() throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<byte[]> lines = new java.util.ArrayList<>();
    Path dir = Fixtures.path("apparmor/logs/test_multi");
    try (Stream<Path> s = Files.list(dir)) {
      for (Path in : s.filter(p -> p.toString().endsWith(".in")).sorted().toList()) {
        for (byte[] line : split(Files.readAllBytes(in))) {
          lines.add(line);
          // The same record as a guest's, so it is counted and proposed.
          String text = new String(line, StandardCharsets.ISO_8859_1);
          lines.add(text.replaceAll("profile=\"[^\"]*\"", "profile=\"libvirt-" + DB01 + "\"")
              .getBytes(StandardCharsets.ISO_8859_1));
        }
      }
    }
    for (String uuid : List.of(WEB01, DB01)) {
      for (String line : LearnLogs.everyForm(uuid).values()) {
        lines.add(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    String rec = LearnLogs.record(WEB01, "open", "/srv/a", "r", false);
    for (String awkward : List.of(
        "",
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("name=\"/srv/a\"", "name=\"/srv/a"),
        "type=AVC msg=audit(17646x9601.1:1): " + rec,
        "type=AVC msg=audit(1764669601:1): " + rec,
        "Dec  2 10:00:01 hv audit[1]: AVC " + rec,
        rec + " msg=audit(1764669601.1:1):",
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("ALLOWED", "MAYBE"),
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("apparmor=\"ALLOWED\" ", ""),
        "type=1503 msg=audit(1764669601.1:1): " + rec.replace("apparmor=\"ALLOWED\" ", ""),
        "type=APPARMOR_DENIED msg=audit(1764669601.1:1): REJECTING r access to /srv/a",
        "type=SYSCALL msg=audit(1764669601.1:1): arch=c000003e syscall=257 pid=1501 ses=150",
        "type=AVC msg=audit(1764669600.1:1): " + rec.replace("/srv/a", "/srv/early"),
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("/srv/a", "/srv/caf\u00e9 \u2603"),
        "type=AVC msg=audit(1764669601.1:1): " + rec + " name=\"/srv/second\" profile=\"other\"",
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("name=\"/srv/a\"",
            "name=2F7372762F68696464656E"),
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("name=\"/srv/a\"", "name=\"\"")
            + "\u001dFSUID=\"libvirt-qemu\" OUID=\"root\"",
        "x".repeat(300) + " type=AVC msg=audit(1764669601.1:1): " + rec.replace("/srv/a", "/srv/long"),
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("comm=\"qemu-system-x86\"", "comm=\"qemu"),
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("pid=4242", "pid=\"4242\""),
        "type=AVC msg=audit(1764669601.1:1): operation=\"open\" pid=7 profile=\"libvirt-" + WEB01
            + "\" name=\"/srv/late\" apparmor=\"DENIED\" denied_mask=\"r\"",
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("denied_mask=\"r\"",
            "denied_mask=\"r\" name=\"/srv/ignored\" denied_mask=\"w\""),
        // Record types: another subsystem's line whatever it holds, the carriers, none.
        "type=SYSCALL msg=audit(1764669601.1:1): pid=7 comm=\"" + rec.replace("\"", "") + "\"",
        "type=SYSCALL msg=audit(1764669601.1:1): comm=\"x\" " + rec,
        "Dec  2 10:00:01 hv kernel: type=1300 audit(1764669601.1:1): " + rec,
        "Dec  2 10:00:01 hv kernel: audit: type=1400 audit(1764669601.1:1): " + rec.replace("/srv/a", "/srv/k"),
        "type=USER_AVC msg=audit(1764669601.1:1): " + rec.replace("/srv/a", "/srv/user"),
        "type=AVCX msg=audit(1764669601.1:1): " + rec,
        "type=", "type=AV", "type=AVC", "xtype=AVC " + rec, "type=AVC type=SYSCALL " + rec,
        rec.replace("/srv/a", "/srv/bare") + " type=SYSCALL",
        "type=AVC msg=audit(1764669601.1:1): " + rec + " audit(1764669602.1:1):",
        "type=AVC msg=audit(1764669601.1:1): " + rec.replace("pid=4242", "pid=4243"))) {
      lines.add(awkward.getBytes(StandardCharsets.UTF_8));
    }
    lines.add(("type=AVC msg=audit(1764669601.1:1): " + rec.replace("/srv/a", "/srv/\u00ff"))
        .getBytes(StandardCharsets.ISO_8859_1)); // not UTF-8
    // Shuffled and repeated: the memo serves the repeats; endings of every kind between lines.
    Random random = new Random(14);
    byte[][] endings = {{'\n'}, {'\r', '\n'}, {'\r'}, {'\n', '\n'}};
    for (int round = 0; round < 3; round++) {
      java.util.Collections.shuffle(lines, random);
      for (byte[] line : lines) {
        log.write(line);
        log.write(endings[random.nextInt(endings.length)]);
      }
    }
    log.write(rec.replace("/srv/a", "/srv/no-ending").getBytes(StandardCharsets.UTF_8));

    byte[] bytes = log.toByteArray();
    sameReports(bytes);
    Path file = Files.write(temp.resolve("audit.log"), bytes);
    LearnReport whole = lines(bytes, Set.of(), OptionalLong.empty());
    for (int threads : new int[] {2, 3, 7}) {
      assertThat(parts(file, threads, bytes.length / threads / 2)).as("%d parts", threads)
          .isEqualTo(whole);
    }
    LearnReport report = lines(bytes, Set.of(), OptionalLong.empty());
    assertThat(report.used()).isGreaterThan(300);
    assertThat(report.unparsed()).isGreaterThan(10);
    assertThat(report.guests()).hasSize(2);
    assertThat(report.guests().get(1).rules()).hasSizeGreaterThan(40);
    assertThat(report.guests().get(0).rules()).contains("\"/srv/caf\u00e9 \u2603\" r,", "/srv/\ufffd r,", "/srv/hidden r,");
  }

  @Test
  void aCarriageReturnAtABuffersEndIsOneLineEnding() throws IOException {
    String rec = "type=AVC msg=audit(1764669601.1:1): "
        + LearnLogs.record(WEB01, "open", "/srv/a", "r", false);
    for (int pad = 0; pad < 20; pad++) {
      byte[] log = ("x".repeat(pad) + "\r\n" + rec + "\r\n\r" + rec + "\r")
          .getBytes(StandardCharsets.UTF_8);
      sameReports(log);
      assertThat(bytes(log, 16, Set.of(), OptionalLong.empty()).skipped()).isEqualTo(2);
    }
  }

  private static List<byte[]> split(byte[] text) {
    List<byte[]> out = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length; i++) {
      if (i == text.length || text[i] == '\n') {
        if (i > start) {
          out.add(java.util.Arrays.copyOfRange(text, start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }
}
