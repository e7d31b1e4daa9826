package io.svirtctl.learn;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time {@code --since} names, as epoch milliseconds: an RFC 3339 date-time ({@code
 * 2026-12-02T10:00:00Z}), a local date-time or date in {@code zone}, {@code @SECONDS}, or a span
 * before now ({@code 90m}, {@code 12h}, {@code 7d}).
 */
public final class Since {

  private static final Pattern SPAN = Pattern.compile("(\\d+)([smhd])");

  private Since() {}

  /** The time, or empty when {@code text} is none of the accepted forms. */
  public static Optional<Long> parse(String text, Clock clock, ZoneId zone) {
    String t = text.strip();
    Matcher span = SPAN.matcher(t);
    try {
      if (span.matches()) {
        long n = Long.parseLong(span.group(1));
        Duration d = switch (span.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
        return Optional.of(clock.millis() - d.toMillis());
      }
      if (t.startsWith("@")) {
        return Optional.of(Long.parseLong(t.substring(1)) * 1000);
      }
      if (t.length() == 10) {
        return Optional.of(LocalDate.parse(t).atStartOfDay(zone).toInstant().toEpochMilli());
      }
      String iso = t.replace(' ', 'T');
      if (iso.endsWith("Z") || iso.matches(".*[+-]\\d{2}:\\d{2}$")) {
        return Optional.of(OffsetDateTime.parse(iso).toInstant().toEpochMilli());
      }
      return Optional.of(LocalDateTime.parse(iso).atZone(zone).toInstant().toEpochMilli());
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
