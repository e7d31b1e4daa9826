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
 * with the same key are the same to it but for their time, and learn parses one of them. A line
 * of another subsystem's record type ({@link RecordType}) is only searched for its end. Every
 * other line with {@code apparmor=}, and older kernels' records, go to the parser whole.
 *
 * <p>The bytes are UTF-8 but only ASCII bytes steer the scan, which no multi-byte character
 * holds, so it finds exactly what {@link RecordParser} finds in the decoded text.
 */
final class RecordScan {

  /** The words before an '=' that may start the fields or tell an old record's type. */
  private static final long APPARMOR = word(ascii("apparmor"), 0);
  private static final long PERATION = word(ascii("peration"), 0);
  private static final long TYPE = word(ascii("type    "), 0) & 0xffffffffL;
  private static final long TYPE_FIELD = word(ascii("type=   "), 0) & 0xffffffffffL;
  private static final long FOUR_BYTES = 0xffffffffL;
  private static final long FIVE_BYTES = 0xffffffffffL;
  private static final byte[] AUDIT = ascii("audit(");

  /** Below this are both line endings (and a few other control characters). */
  private static final long ENDINGS = spread((char) 0x0e);
  private static final long EQUALS = spread('=');
  private static final long PAREN = spread('(');
  private static final long R = spread('r');
  private static final long P = spread('p');
  private static final long E = spread('e');
  private static final long MIX = 0x9E3779B97F4A7C15L;

  /** Lines scanned. */
  long lines;
  /** Lines without an AppArmor record: other subsystems' lines. */
  long others;
  /** The hash of the key {@link #keyEnd} read last. */
  private int lastHash;

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
      int i = p;
      // The two bytes before i (b[i - 2] in the low byte), or zeros at the line's start.
      long carry = 0;
      // The line's record type (its first type=), once read.
      RecordType type = null;
      if ((word(b, p) & FIVE_BYTES) == TYPE_FIELD) {
        // auditd's lines start with their type
        type = RecordType.of(b, p + 5, len);
        i = p + 5;
        carry = 'e' | '=' << 8;
        if (type == RecordType.OTHER) {
          end = ending(b, i, len);
        }
      }
      // Where the words before the fields start: after auditd's type, which holds no stamp.
      int prefix = i;
      // Up to the line's end or its verdict field (an '=' after 'r': apparmor=), reading the
      // record type on the way (the first '=' after "pe": type=).
      while (type != RecordType.OTHER) {
        int k = type != null ? nextMark(b, i, len, carry >>> 8) : nextMarkOrType(b, i, len, carry);
        if (k < 0 || k >= len) {
          return lineStart;
        }
        byte c = b[k];
        if (c == '\n' || c == '\r') {
          end = k;
          break;
        }
        if (c == '=' && k - 8 >= lineStart && word(b, k - 8) == APPARMOR) {
          fields = k - 8;
          break;
        }
        if (c == '=' && type == null && k - 4 >= lineStart
            && (word(b, k - 4) & FOUR_BYTES) == TYPE) {
          type = RecordType.of(b, k + 1, len);
          if (type == RecordType.OTHER) {
            end = ending(b, k + 1, len);
            break;
          }
        }
        i = k + 1;
        carry = (k > lineStart ? b[k - 1] & 0xffL : 0) | (c & 0xffL) << 8;
      }
      if (type == RecordType.OTHER && end < 0) {
        return lineStart; // another type's line whose ending is not read yet
      }
      long millis = -1;
      int hash = 0;
      if (fields >= 0) {
        end = keyEnd(b, fields, len);
        if (end < 0) {
          return lineStart;
        }
        hash = lastHash;
        int stamp = stamp(b, prefix, fields);
        millis = stamp < 0 ? -1 : AuditStamp.millis(b, stamp, fields);
      }
      if (b[end] == '\r' && end + 1 >= len && !eof) {
        return lineStart; // whether a \n follows is in the next read
      }
      lines++;
      if (millis >= 0) {
        batch.record(lineStart, fields, end, hash, millis, lines);
      } else if (fields >= 0 || type == RecordType.OLD) {
        batch.ask(lineStart, end, lines);
      } else {
        others++;
      }
      p = b[end] == '\r' && end + 1 < len && b[end + 1] == '\n' ? end + 2 : end + 1;
    }
    return p;
  }

  /**
   * The first place in {@code b[i, len)} the scan must look at once the record type is read: a
   * byte below {@link #ENDINGS} or an '=' after 'r' ({@code before} is the byte before {@code
   * i}); -1 when there is none before {@code len}. The place may be past {@code len} (in the
   * slack) or a wrong candidate: the caller checks the byte there.
   */
  private static int nextMark(byte[] b, int i, int len, long before) {
    long carry = before;
    for (int j = i; j < len; j += 8) {
      long w = word(b, j);
      long marks = below(w, ENDINGS) | zero((w ^ EQUALS) | ((w << 8 | carry) ^ R));
      if (marks != 0) {
        return j + lowest(marks);
      }
      carry = w >>> 56;
    }
    return -1;
  }

  /**
   * {@link #nextMark}, and also an '=' after "pe" ({@code type=}); {@code before} holds the two
   * bytes before {@code i}, {@code b[i - 2]} in its low byte.
   */
  private static int nextMarkOrType(byte[] b, int i, int len, long before) {
    long carry = before;
    for (int j = i; j < len; j += 8) {
      long w = word(b, j);
      long eq = w ^ EQUALS;
      long prev = w << 8 | carry >>> 8;
      long marks = below(w, ENDINGS) | zero(eq | (prev ^ R))
          | zero(eq | (prev ^ E) | ((w << 16 | carry) ^ P));
      if (marks != 0) {
        return j + lowest(marks);
      }
      carry = w >>> 48;
    }
    return -1;
  }

  /**
   * The end of the line whose key starts at {@code i}, hashing the key on the way ({@link
   * #lastHash}); -1 when the line's ending is not in {@code b[i, len)}.
   */
  private int keyEnd(byte[] b, int i, int len) {
    // Two running hashes over sixteen bytes a step, so neither waits for the other; then
    // word by word to the line's end. The steps taken depend on the key's bytes alone.
    long h = MIX;
    long odd = 0;
    int j = i;
    while (j + 16 <= len) {
      long w1 = word(b, j);
      long w2 = word(b, j + 8);
      if ((below(w1, ENDINGS) | below(w2, ENDINGS)) != 0) {
        break;
      }
      h = mix(h, w1);
      odd = mix(odd, w2);
      j += 16;
    }
    h = mix(h, odd);
    while (j < len) {
      long w = word(b, j);
      for (long m = below(w, ENDINGS); m != 0; m &= m - 1) {
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

  /**
   * Where the time stamp starts, just after the first {@code audit(} in {@code b[from, to)}, the
   * words before the verdict field; -1 when there is none, and when an {@code operation=} is
   * among them (the fields then start there: the parser reads the line).
   */
  private static int stamp(byte[] b, int from, int to) {
    int stamp = -1;
    for (int j = from; j < to; j += 8) {
      long w = word(b, j);
      for (long m = equal(w, PAREN) | equal(w, EQUALS); m != 0; m &= m - 1) {
        int k = j + lowest(m);
        if (k >= to) {
          return stamp;
        }
        if (b[k] == '(' && stamp < 0 && endsWith(b, from, k + 1, AUDIT)) {
          stamp = k + 1;
        } else if (b[k] == '=' && k - 9 >= from && word(b, k - 8) == PERATION && b[k - 9] == 'o') {
          return -1;
        }
      }
    }
    return stamp;
  }

  /** The first line ending in {@code b[i, len)}, or -1. */
  private static int ending(byte[] b, int i, int len) {
    int j = i;
    // Sixteen bytes a step while neither word holds a control character.
    while (j + 16 <= len && (below(word(b, j), ENDINGS) | below(word(b, j + 8), ENDINGS)) == 0) {
      j += 16;
    }
    for (; j < len; j += 8) {
      for (long m = below(word(b, j), ENDINGS); m != 0; m &= m - 1) {
        int k = j + lowest(m);
        if (b[k] == '\n' || b[k] == '\r') {
          return k < len ? k : -1;
        }
      }
    }
    return -1;
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

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
