package io.svirtctl.learn;

import static io.svirtctl.learn.ByteWords.below;
import static io.svirtctl.learn.ByteWords.equal;
import static io.svirtctl.learn.ByteWords.lowest;
import static io.svirtctl.learn.ByteWords.spread;
import static io.svirtctl.learn.ByteWords.word;
import static io.svirtctl.learn.ByteWords.zero;

import java.nio.charset.StandardCharsets;

/**
 * A first look at a buffer of log lines, made for speed: each line is read once, eight bytes at
 * a time, and is either counted as another subsystem's line, or put in a {@link ScanBatch} as a
 * record the memo may know, or as a line for {@link RecordParser}.
 *
 * <p>A record, here, is a line whose fields start with {@code apparmor=} (its first {@code
 * apparmor=} comes before any {@code operation=}) and whose {@code audit(…)} stamp, before the
 * fields, is well formed. {@link RecordParser} then reads the verdict from the fields and the
 * time from the stamp: what it makes of the line is given by the bytes from {@code apparmor=} to
 * the line's end (the key) and by the stamp, whatever else precedes the fields. So two records
 * with the same key are the same to it but for their time, and learn parses one of them. Every
 * other line with {@code apparmor=} or {@code operation=}, and old-style records ({@code
 * type=APPARMOR…}, {@code type=150…}) without fields, go to the parser whole.
 *
 * <p>The bytes are UTF-8 but only ASCII bytes steer the scan, which no multi-byte character
 * holds, so it finds exactly what {@link RecordParser} finds in the decoded text.
 */
final class RecordScan {

  /** The words before an '=' that may start the fields or tell an old record's type. */
  private static final long APPARMOR = word(ascii("apparmor"), 0);
  private static final long PERATION = word(ascii("peration"), 0);
  private static final long TYPE = word(ascii("type    "), 0) & 0xffffffffL;
  private static final byte[] AUDIT = ascii("audit(");
  private static final byte[][] OLD_TYPES = {ascii("APPARMOR"), ascii("150"), ascii("UNKNOWN[150")};

  /** Below this are both line endings (and a few other control characters). */
  private static final long ENDINGS = spread((char) 0x0e);
  private static final long EQUALS = spread('=');
  private static final long PAREN = spread('(');
  private static final long R = spread('r');
  private static final long N = spread('n');
  private static final long E = spread('e');
  private static final long MIX = 0x9E3779B97F4A7C15L;

  /** Lines scanned. */
  long lines;
  /** Lines without an AppArmor record: other subsystems' lines. */
  long others;

  /**
   * Scans the complete lines of {@code b[from, len)} into {@code batch}; returns where the first
   * line without its ending starts ({@code len} when there is none). See {@link LogBuffers}.
   */
  int scan(byte[] b, int from, int len, boolean eof, ScanBatch batch) {
    int p = from;
    while (p < len) {
      int lineStart = p;
      int end = -1;
      int fields = -1;
      boolean old = false;
      int i = p;
      long carry = 0;
      // Up to the line's end or the first place its fields may start: an '=' after 'r'
      // (apparmor=), 'n' (operation=) or 'e' (type=).
      while (true) {
        if (i >= len) {
          return lineStart;
        }
        long w = word(b, i);
        long prev = w << 8 | carry;
        long eq = w ^ EQUALS;
        long marks = below(w, ENDINGS) | zero(eq | (prev ^ R)) | zero(eq | (prev ^ N))
            | zero(eq | (prev ^ E));
        if (marks == 0) {
          carry = w >>> 56;
          i += 8;
          continue;
        }
        int k = i + lowest(marks);
        if (k >= len) {
          return lineStart;
        }
        byte c = b[k];
        if (c == '\n' || c == '\r') {
          end = k;
          break;
        }
        if (c == '=' && k - 4 >= lineStart) {
          long before = word(b, k - 8 >= lineStart ? k - 8 : k - 4);
          if (k - 8 >= lineStart && before == APPARMOR) {
            fields = k - 8;
            break;
          }
          if (k - 9 >= lineStart && before == PERATION && b[k - 9] == 'o') {
            old = true; // fields that do not start with the verdict: the parser reads them
            break;
          }
          if (!old && (k - 8 >= lineStart ? before >>> 32 : before & 0xffffffffL) == TYPE) {
            old = oldType(b, k + 1, len);
          }
        }
        i = k + 1;
        carry = c & 0xffL;
      }
      long millis = -1;
      int hash = 0;
      if (fields >= 0) {
        end = keyEnd(b, fields, len);
        if (end < 0) {
          return lineStart;
        }
        hash = lastHash;
        int stamp = stamp(b, lineStart, fields);
        millis = stamp < 0 ? -1 : auditStamp(b, stamp, fields);
      } else if (end < 0) {
        end = ending(b, i, len);
        if (end < 0) {
          return lineStart;
        }
      }
      if (b[end] == '\r' && end + 1 >= len && !eof) {
        return lineStart; // whether a \n follows is in the next read
      }
      lines++;
      if (millis >= 0) {
        batch.record(lineStart, fields, end, hash, millis, lines);
      } else if (fields >= 0 || old) {
        batch.ask(lineStart, end, lines);
      } else {
        others++;
      }
      p = b[end] == '\r' && end + 1 < len && b[end + 1] == '\n' ? end + 2 : end + 1;
    }
    return p;
  }

  private int lastHash;

  /**
   * The end of the line whose key starts at {@code i}, hashing the key on the way ({@link
   * #lastHash}); -1 when the line's ending is not in {@code b[i, len)}.
   */
  private int keyEnd(byte[] b, int i, int len) {
    long h = MIX;
    int j = i;
    while (j < len) {
      long w = word(b, j);
      long controls = below(w, ENDINGS);
      for (long m = controls; m != 0; m &= m - 1) {
        int k = j + lowest(m);
        if (b[k] == '\n' || b[k] == '\r') {
          if (k >= len) {
            return -1;
          }
          int n = k - j;
          if (n > 0) {
            h = mix(h, w & (-1L >>> (64 - 8 * n)));
          }
          h = mix(h, k - i);
          lastHash = (int) (h ^ (h >>> 32));
          return k;
        }
      }
      h = mix(h, w);
      j += 8;
    }
    return -1;
  }

  private static long mix(long h, long w) {
    long x = (h ^ w) * MIX;
    return x ^ (x >>> 29);
  }

  /** The first line ending in {@code b[i, len)}, or -1. */
  private static int ending(byte[] b, int i, int len) {
    for (int j = i; j < len; j += 8) {
      for (long m = below(word(b, j), ENDINGS); m != 0; m &= m - 1) {
        int k = j + lowest(m);
        if (b[k] == '\n' || b[k] == '\r') {
          return k < len ? k : -1;
        }
      }
    }
    return -1;
  }

  /** Where the time stamp starts, just after the first {@code audit(} in {@code b[from, to)}; or -1. */
  private static int stamp(byte[] b, int from, int to) {
    for (int j = from; j < to; j += 8) {
      for (long m = equal(word(b, j), PAREN); m != 0; m &= m - 1) {
        int k = j + lowest(m);
        if (k >= to) {
          return -1;
        }
        if (endsWith(b, from, k + 1, AUDIT)) {
          return k + 1;
        }
      }
    }
    return -1;
  }

  /** Whether an old record type ({@code APPARMOR…}, {@code 150…}) starts at {@code at}, in its line. */
  private static boolean oldType(byte[] b, int at, int len) {
    if (at >= len || (b[at] != 'A' && b[at] != '1' && b[at] != 'U')) {
      return false;
    }
    for (byte[] t : OLD_TYPES) {
      if (startsWithInLine(b, at, len, t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithInLine(byte[] b, int at, int len, byte[] word) {
    for (int k = 0; k < word.length; k++) {
      if (at + k >= len || b[at + k] != word[k]) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code b[from, at)} ends with {@code word}. */
  private static boolean endsWith(byte[] b, int from, int at, byte[] word) {
    int s = at - word.length;
    if (s < from) {
      return false;
    }
    for (int k = 0; k < word.length; k++) {
      if (b[s + k] != word[k]) {
        return false;
      }
    }
    return true;
  }

  /** {@code SECONDS.FRACTION:SERIAL)} at {@code i} as epoch milliseconds, or -1. */
  static long auditStamp(byte[] s, int i, int n) {
    long seconds = 0;
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

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
