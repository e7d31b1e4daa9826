package io.svirtctl.learn;

import java.nio.charset.StandardCharsets;

/**
 * An {@code audit(…)} stamp's time: {@code SECONDS.FRACTION:SERIAL)} in ASCII digits, read the
 * same from a line's bytes ({@link RecordScan}) and from its text ({@link RecordParser}).
 */
final class AuditStamp {

  private AuditStamp() {}

  /** The stamp at {@code line}'s {@code i} (just after {@code audit(}) as epoch millis, or -1. */
  static long millis(String line, int i) {
    // Only ASCII digits are digits: no other character becomes one in ISO-8859-1 bytes.
    byte[] rest = line.substring(i).getBytes(StandardCharsets.ISO_8859_1);
    return millis(rest, 0, rest.length);
  }

  /** The stamp at {@code s[i]}, before {@code n}, as epoch milliseconds, or -1. */
  static long millis(byte[] s, int i, int n) {
    long seconds = 0;
    if (i + 11 <= n && s[i + 10] == '.' && eightDigits(ByteWords.word(s, i))
        && isDigit(s[i + 8]) && isDigit(s[i + 9])) {
      // Ten digits of seconds, as every stamp from 2001 to 2286 has: eight read at once.
      seconds = eightDigitsValue(ByteWords.word(s, i)) * 100 + (s[i + 8] - '0') * 10
          + (s[i + 9] - '0');
      i += 11;
    } else {
      int digits = 0;
      while (i < n && isDigit(s[i]) && digits < 12) {
        seconds = seconds * 10 + (s[i] - '0');
        i++;
        digits++;
      }
      if (digits == 0 || i >= n || s[i] != '.') {
        return -1;
      }
      i++;
    }
    long millis = 0;
    int fraction = 0;
    while (i < n && isDigit(s[i])) {
      if (fraction < 3) {
        millis = millis * 10 + (s[i] - '0');
      }
      fraction++;
      i++;
    }
    if (fraction == 0 || i >= n || s[i] != ':') {
      return -1;
    }
    i++;
    int serial = i;
    while (i < n && isDigit(s[i])) {
      i++;
    }
    if (i == serial || i >= n || s[i] != ')') {
      return -1;
    }
    for (; fraction < 3; fraction++) {
      millis *= 10;
    }
    return seconds * 1000 + millis;
  }

  /** Whether every byte of {@code w} is an ASCII digit. */
  private static boolean eightDigits(long w) {
    return (w & 0xF0F0F0F0F0F0F0F0L) == 0x3030303030303030L
        && ((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) == 0x3030303030303030L;
  }

  /** The number eight digits ({@link #eightDigits}) write, the lowest byte first. */
  private static long eightDigitsValue(long w) {
    long v = w & 0x0F0F0F0F0F0F0F0FL;
    v = (v * 10 + (v >>> 8)) & 0x00FF00FF00FF00FFL;
    v = (v * 100 + (v >>> 16)) & 0x0000FFFF0000FFFFL;
    return (v * 10000 + (v >>> 32)) & 0xFFFFFFFFL;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
