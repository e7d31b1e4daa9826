package io.svirtctl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A line's record type decides whether it can be an AppArmor record at all: read from decoded
 * text by the parser and from bytes by the scan, with the same answer.
 */
class RecordTypeTest {

  private static final String REC = "apparmor=\"ALLOWED\" operation=\"open\" profile=\"libvirt-"
      + LearnLogs.WEB01 + "\" name=\"/srv/a\" pid=7 comm=\"qemu\" requested_mask=\"r\""
      + " denied_mask=\"r\" fsuid=0 ouid=0";

  @Test
  void textAndBytesReadTheSameType() {
    List<String> values = List.of("AVC", "1400", "USER_AVC", "1107", "APPARMOR", "APPARMOR_DENIED",
        "1503", "150", "UNKNOWN[1503]", "UNKNOWN[1400]", "AVCX", "AV", "A", "1", "U", "14000",
        "SYSCALL", "PROCTITLE", "USER_ACCT", "1300", "", "avc", "USER_AVCX", "1107x");
    for (String value : values) {
      for (String after : List.of("", " msg=audit(1.1:1):", "\tx", "\r")) {
        String line = "x type=" + value + after;
        byte[] b = (line + "\n" + "type=AVC").getBytes(StandardCharsets.UTF_8);
        String text = line.contains("\r") ? line.substring(0, line.indexOf('\r')) : line;
        assertThat(RecordType.of(b, "x type=".length(), b.length))
            .as("%s", line).isEqualTo(RecordType.of(text));
      }
    }
    assertThat(RecordType.of("type=AVC msg=audit(1.1:1):")).isEqualTo(RecordType.CARRIER);
    assertThat(RecordType.of("type=APPARMOR_DENIED msg=")).isEqualTo(RecordType.OLD);
    assertThat(RecordType.of("type=SYSCALL msg=")).isEqualTo(RecordType.OTHER);
    assertThat(RecordType.of("audit[7]: AVC apparmor=")).isEqualTo(RecordType.NONE);
  }

  @Test
  void anotherSubsystemsRecordIsNotAnAppArmorRecordWhateverItsTextHolds() {
    RecordParser parser = new RecordParser(new LineDate(
        Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC), ZoneOffset.UTC));
    // A process can put anything in its command name; auditd logs it in the SYSCALL record.
    String syscall = "type=SYSCALL msg=audit(1764669601.1:1): arch=c000003e syscall=257 pid=7"
        + " comm=\"x " + REC.replace("\"", "") + "\" exe=\"/usr/bin/x\"";
    assertThat(parser.parse(syscall)).isInstanceOf(ParseResult.NotAppArmor.class);
    assertThat(parser.parse("type=1300 audit(1764669601.1:1): " + REC))
        .isInstanceOf(ParseResult.NotAppArmor.class);
    assertThat(parser.parse("type=AVC msg=audit(1764669601.1:1): " + REC))
        .isInstanceOf(ParseResult.Parsed.class);
    assertThat(parser.parse("type=USER_AVC msg=audit(1764669601.1:1): " + REC))
        .isInstanceOf(ParseResult.Parsed.class);
    assertThat(parser.parse("Dec  2 10:00:01 hv audit[1]: AVC " + REC))
        .isInstanceOf(ParseResult.Parsed.class);
    // Older kernels' own types: a record even without a verdict field.
    assertThat(parser.parse("type=1503 audit(1764669601.1:1): operation=\"open\" name=\"/a\""
        + " pid=7 profile=\"/bin/x\" requested_mask=\"r\" denied_mask=\"r\""))
        .isInstanceOf(ParseResult.Parsed.class);
    // A field name in free text of a line with no AppArmor type is not a record.
    assertThat(parser.parse("note: operation=\"open")).isInstanceOf(ParseResult.NotAppArmor.class);
  }
}
