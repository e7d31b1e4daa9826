package io.svirtctl.learn;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.DateTimeException;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The date a log line starts with, for records that carry no {@code audit(…)} stamp (journald's
 * {@code audit[PID]: AVC …} form): RFC 3339 ({@code 2026-05-26T19:47:43.396634-04:00}, also with
 * a space for the {@code T}), RFC 3164 ({@code Dec  2 10:00:01}, month in any case, abbreviated or
 * in full, English, German, French or Spanish; the year is the latest not in the future), and
 * {@code dmesg -T} ({@code [Wed Dec  2 10:00:01 2026]}). Dates without an offset are in {@code
 * zone}, which is looked up when the first such date is read: the system's zone costs loading the
 * time-zone database, which a log of {@code audit(…)} stamps never needs.
 */
public final class LineDate {

  private static final Pattern RFC3339 = Pattern.compile(
      "^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?[ \\t]");
  private static final Pattern RFC3164 = Pattern.compile(
      "^(\\p{L}{3,10})\\.?\\s+(\\d{1,2})\\s+(\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?([+-]\\d{2}:\\d{2})?\\s");
  private static final Pattern DMESG_T = Pattern.compile(
      "^\\[\\p{L}{3}\\s+(\\p{L}{3})\\s+(\\d{1,2})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s+(\\d{4})\\]");

  /** Month names by their lowercase first three letters (or four where three are ambiguous). */
  private static final Map<String, Integer> MONTHS = Map.ofEntries(
      Map.entry("jan", 1), Map.entry("jän", 1), Map.entry("ene", 1),
      Map.entry("feb", 2), Map.entry("fév", 2), Map.entry("fev", 2),
      Map.entry("mar", 3), Map.entry("mär", 3), Map.entry("mrz", 3),
      Map.entry("apr", 4), Map.entry("avr", 4), Map.entry("abr", 4),
      Map.entry("may", 5), Map.entry("mai", 5),
      Map.entry("jun", 6), Map.entry("juin", 6),
      Map.entry("jul", 7), Map.entry("juil", 7),
      Map.entry("aug", 8), Map.entry("aoû", 8), Map.entry("aou", 8), Map.entry("ago", 8),
      Map.entry("sep", 9), Map.entry("set", 9),
      Map.entry("oct", 10), Map.entry("okt", 10),
      Map.entry("nov", 11),
      Map.entry("dec", 12), Map.entry("dez", 12), Map.entry("déc", 12), Map.entry("dic", 12));

  private final Clock clock;
  private final Supplier<ZoneId> zoneSource;
  /** {@code zoneSource}'s zone once a date needed it (threads racing to set it set the same). */
  private volatile ZoneId zone;

  public LineDate(Clock clock, ZoneId zone) {
    this(clock, () -> zone);
  }

  /** @param zone the zone of dates without an offset, asked for when the first one is read */
  public LineDate(Clock clock, Supplier<ZoneId> zone) {
    this.clock = clock;
    this.zoneSource = zone;
  }

  /** The line's date as epoch milliseconds, or empty when it starts with none. */
  public OptionalLong epochMillis(String line) {
    if (line.isEmpty()) {
      return OptionalLong.empty();
    }
    char first = line.charAt(0);
    try {
      if (Character.isDigit(first)) {
        return rfc3339(line);
      }
      if (first == '[') {
        Matcher m = DMESG_T.matcher(line);
        if (m.find()) {
          return of(Integer.parseInt(m.group(6)), month(m.group(1)), m.group(2), m.group(3),
              m.group(4), m.group(5), null);
        }
        return OptionalLong.empty();
      }
      Matcher m = RFC3164.matcher(line);
      if (m.find()) {
        int month = month(m.group(1));
        int year = clock.instant().atZone(zone()).getYear();
        OptionalLong t = of(year, month, m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
        if (t.isPresent() && t.getAsLong() > clock.millis() + 86_400_000L) {
          // RFC 3164 has no year: a date later than tomorrow is from last year.
          t = of(year - 1, month, m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
        }
        return t;
      }
    } catch (DateTimeException | IllegalArgumentException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  private OptionalLong rfc3339(String line) {
    Matcher m = RFC3339.matcher(line);
    if (!m.find()) {
      return OptionalLong.empty();
    }
    String text = m.group(1) + "T" + m.group(2) + (m.group(3) == null ? "" : m.group(3));
    if (m.group(4) != null) {
      String off = m.group(4);
      if (off.length() == 5) {
        off = off.substring(0, 3) + ":" + off.substring(3);
      }
      return OptionalLong.of(OffsetDateTime.parse(text + off).toInstant().toEpochMilli());
    }
    return OptionalLong.of(LocalDateTime.parse(text).atZone(zone()).toInstant().toEpochMilli());
  }

  private OptionalLong of(int year, int month, String day, String h, String min, String s,
      String offset) {
    if (month < 1) {
      return OptionalLong.empty();
    }
    LocalDateTime t = LocalDateTime.of(year, month, Integer.parseInt(day), Integer.parseInt(h),
        Integer.parseInt(min), Integer.parseInt(s));
    if (offset != null) {
      return OptionalLong.of(t.atOffset(java.time.ZoneOffset.of(offset)).toInstant().toEpochMilli());
    }
    return OptionalLong.of(t.atZone(zone()).toInstant().toEpochMilli());
  }

  private ZoneId zone() {
    ZoneId z = zone;
    if (z == null) {
      z = zoneSource.get();
      zone = z;
    }
    return z;
  }

  /** 1-12, or 0 when {@code name} is no month name. */
  static int month(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.length() >= 4 && MONTHS.containsKey(n.substring(0, 4))) {
      return MONTHS.get(n.substring(0, 4));
    }
    return n.length() >= 3 ? MONTHS.getOrDefault(n.substring(0, 3), 0) : 0;
  }
}
