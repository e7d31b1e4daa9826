package io.svirtctl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An {@code audit(…)} stamp's time, ten digits of seconds at once or one by one, the same from
 * bytes (the scan) and from text (the parser).
 */
class AuditStampTest {

  @Test
  void stampsOfEveryLengthAndMalformedOnes() {
    Map<String, Long> cases = Map.ofEntries(
        Map.entry("1764669601.123:1)", 1764669601123L),
        Map.entry("1764669601.1:1)", 1764669601100L),
        Map.entry("1764669601.1234:12)", 1764669601123L),
        Map.entry("0.000:1)", 0L),
        Map.entry("176466960.12:1)", 176466960120L),
        Map.entry("17646696011.1:1)", 17646696011100L),
        Map.entry("999999999999.1:1)", 999999999999100L),
        Map.entry("1764669601:1)", -1L),
        Map.entry("17646696x1.1:1)", -1L),
        Map.entry("17646696/1.1:1)", -1L),
        Map.entry("1764669:01.1:1)", -1L),
        Map.entry("1764669601.:1)", -1L),
        Map.entry("1764669601.1:)", -1L),
        Map.entry("1764669601.1:1", -1L),
        Map.entry("1764669601.1;1)", -1L));
    cases.forEach((stamp, millis) -> {
      // Bytes after the stamp are the next line's: the scan must not read past its end.
      byte[] b = (stamp + "1234567890.1:1)").getBytes(StandardCharsets.US_ASCII);
      assertThat(AuditStamp.millis(b, 0, stamp.length())).as(stamp).isEqualTo(millis);
      assertThat(AuditStamp.millis("audit(" + stamp, 6)).as("text %s", stamp).isEqualTo(millis);
    });
    // Digits of other scripts are no digits of a stamp.
    assertThat(AuditStamp.millis("audit(\u0661764669601.1:1)", 6)).isEqualTo(-1);
    assertThat(AuditStamp.millis("audit(1764669601.\u0661:1)", 6)).isEqualTo(-1);
  }
}
