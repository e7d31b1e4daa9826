package io.svirtctl.learn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A first look at one log line's bytes, made for speed: it finds where the record's fields
 * start and its {@code audit(…)} time, and lists the fields {@link RecordParser} keeps (raw, in
 * the order they come) as a signature. Two lines with the same signature are the same record to
 * {@link RecordParser} but for the time: learn parses one of them and reuses the outcome for
 * the rest. A line it cannot vouch for (no {@code audit(…)} before the fields, a malformed one,
 * an unterminated quote, a verdict other than the known ones) is left to {@link RecordParser}.
 *
 * <p>The bytes are UTF-8 but only ASCII bytes steer the scan, which no multi-byte character
 * holds, so it splits a line exactly where {@link RecordParser} splits the decoded text.
 */
final class RecordScan {

  /** What {@link #scan} found. */
  enum Kind {
    /** No AppArmor record: another subsystem's line. */
    NOT_APPARMOR,
    /** A record with a time and a known verdict: see {@link #signature()}. */
    RECORD,
    /** Anything else: {@link RecordParser} reads the line. */
    ASK_PARSER
  }

  private static final byte[] APPARMOR = ascii("apparmor");
  private static final byte[] OPERATION = ascii("operation");
  private static final byte[] TYPE = ascii("type");
  private static final byte[] AUDIT = ascii("audit");
  private static final byte[] OLD_TYPE = ascii("APPARMOR");
  private static final byte[] OLD_CODE = ascii("150");
  private static final byte[] UNKNOWN_CODE = ascii("UNKNOWN[150");
  private static final List<byte[]> VERDICTS = RecordParser.VERDICTS.stream()
      .map(RecordScan::ascii).toList();

  /** The kept fields' names, by id; a table from (length, first, last byte) to ids. */
  private static final byte[][] KEYS = RecordParser.KEPT.stream().map(RecordScan::ascii)
      .toArray(byte[][]::new);
  private static final int TABLE = 512;
  private static final byte[] KEY_TABLE = new byte[TABLE];
  private static final int VERDICT_ID = RecordParser.KEPT.indexOf("apparmor");

  static {
    if (KEYS.length > 63) {
      throw new IllegalStateException("field ids must fit a long mask");
    }
    for (int id = 0; id < KEYS.length; id++) {
      byte[] k = KEYS[id];
      int h = slot(k.length, k[0], k[k.length - 1]);
      while (KEY_TABLE[h] != 0) {
        h = (h + 1) & (TABLE - 1);
      }
      KEY_TABLE[h] = (byte) (id + 1);
    }
  }

  private byte[] sig = new byte[512];
  private int sigLength;
  private int hash;
  private long millis;

  /** Looks at {@code b[from, to)}, one line without its terminator. */
  Kind scan(byte[] b, int from, int to) {
    int start = -1;
    int stamp = -1;
    boolean looksLikeAppArmor = false;
    int i = from;
    while (true) {
      i = nextMark(b, from, i, to);
      if (i < 0) {
        break;
      }
      if (b[i] == '=') {
        if (endsWith(b, from, i, APPARMOR)) {
          start = i - APPARMOR.length;
          break;
        }
        if (endsWith(b, from, i, OPERATION)) {
          start = i - OPERATION.length;
          break;
        }
        if (!looksLikeAppArmor && endsWith(b, from, i, TYPE)) {
          looksLikeAppArmor = startsWith(b, i + 1, to, OLD_TYPE) || startsWith(b, i + 1, to, OLD_CODE)
              || startsWith(b, i + 1, to, UNKNOWN_CODE);
        }
      } else if (b[i] == '(' && stamp < 0 && endsWith(b, from, i, AUDIT)) {
        stamp = i + 1;
      }
      i++;
    }
    if (start < 0) {
      // Every '=' was looked at: an old-style record is for the parser to read.
      return looksLikeAppArmor ? Kind.ASK_PARSER : Kind.NOT_APPARMOR;
    }
    if (stamp < 0) {
      return Kind.ASK_PARSER;
    }
    millis = auditStamp(b, stamp, to);
    if (millis < 0) {
      return Kind.ASK_PARSER;
    }
    return fields(b, start, to) ? Kind.RECORD : Kind.ASK_PARSER;
  }

  private static final long EQUALS = LogLines.spread('=');
  private static final long PAREN = LogLines.spread('(');
  private static final long R = LogLines.spread('r');
  private static final long N = LogLines.spread('n');
  private static final long E = LogLines.spread('e');
  private static final long T = LogLines.spread('t');

  /**
   * The first place in {@code b[at, to)} where a word the scan looks for may end: an '=' after
   * 'r' ({@code apparmor=}), 'n' ({@code operation=}) or 'e' ({@code type=}), a '(' after 't'
   * ({@code audit(}); eight bytes at a time. It may stop early (the caller checks the bytes),
   * never late. -1 when there is none.
   */
  private static int nextMark(byte[] b, int from, int at, int to) {
    int i = at;
    long carry = i > from ? b[i - 1] & 0xffL : 0;
    for (; i + 8 <= to; i += 8) {
      long w = LogLines.word(b, i);
      long prev = w << 8 | carry;
      long m = (LogLines.equalBytes(w, EQUALS) & (LogLines.equalBytes(prev, R)
          | LogLines.equalBytes(prev, N) | LogLines.equalBytes(prev, E)))
          | (LogLines.equalBytes(w, PAREN) & LogLines.equalBytes(prev, T));
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
      carry = w >>> 56;
    }
    for (; i < to; i++) {
      if (b[i] == '=' || b[i] == '(') {
        return i;
      }
    }
    return -1;
  }
  private static final long QUOTE = LogLines.spread('"');

  /** The {@code audit(…)} time of the last line scanned, in epoch milliseconds. */
  long millis() {
    return millis;
  }

  /** The signature bytes of the last record scanned: {@code sig()[0, signatureLength())}. */
  byte[] signature() {
    return sig;
  }

  int signatureLength() {
    return sigLength;
  }

  int signatureHash() {
    return hash;
  }

  /**
   * Reads {@code key=value} pairs as {@link RecordParser} does and appends each kept field
   * seen for the first time to the signature: id, quoted or not, length, bytes. False when the
   * parser must read the line.
   */
  private boolean fields(byte[] s, int i, int n) {
    sigLength = 0;
    hash = 1;
    long seen = 0;
    boolean verdictKnown = false;
    while (i < n) {
      byte c = s[i];
      if (c == ' ' || c == '\t' || c == 0x1d || c == '\'' || c == '\r') {
        i++;
        continue;
      }
      int keyStart = i;
      while (i < n && isKeyChar(s[i])) {
        i++;
      }
      if (i == keyStart || i >= n || s[i] != '=') {
        while (i < n && s[i] != ' ' && s[i] != 0x1d) {
          i++;
        }
        continue;
      }
      int keyEnd = i;
      int id = keyId(s, keyStart, i);
      i++;
      int valueStart;
      int valueEnd;
      boolean quoted = i < n && s[i] == '"';
      if (quoted) {
        int close = LogLines.indexOf(s, i + 1, n, QUOTE, (byte) '"');
        if (close < 0) {
          return false;
        }
        valueStart = i + 1;
        valueEnd = close;
        i = close + 1;
      } else {
        int end = i;
        while (end < n) {
          byte e = s[end];
          if (e == ' ' || e == 0x1d || e == '\'' || e == '\t' || e == '\r') {
            break;
          }
          end++;
        }
        valueStart = i;
        valueEnd = end;
        i = end;
      }
      if (id < 0 && verdictKnown && !quoted && isPid(s, keyStart, keyEnd)) {
        // The rest of the line is the signature as it is: the fields after the process id
        // (command, masks, owner ids, auditd's names) repeat from record to record; the id
        // itself, which the parser drops, does not.
        appendTail(s, valueEnd, n);
        return true;
      }
      if (id < 0 || (seen & (1L << id)) != 0) {
        continue;
      }
      seen |= 1L << id;
      if (id == VERDICT_ID) {
        verdictKnown = isVerdict(s, valueStart, valueEnd);
      }
      append(id, quoted, s, valueStart, valueEnd);
    }
    return verdictKnown;
  }

  private void append(int id, boolean quoted, byte[] s, int from, int to) {
    int len = to - from;
    int need = sigLength + len + 6;
    if (need > sig.length) {
      sig = Arrays.copyOf(sig, Math.max(need, sig.length * 2));
    }
    byte[] g = sig;
    int p = sigLength;
    g[p++] = (byte) id;
    g[p++] = (byte) (quoted ? 1 : 0);
    g[p++] = (byte) (len >>> 24);
    g[p++] = (byte) (len >>> 16);
    g[p++] = (byte) (len >>> 8);
    g[p++] = (byte) len;
    System.arraycopy(s, from, g, p, len);
    p += len;
    // The length, the first and the last eight bytes spread it well enough;
    // equal hashes are told apart by comparing the bytes.
    long tail;
    if (len >= 8) {
      tail = LogLines.word(s, to - 8);
    } else {
      tail = 0;
      for (int k = from; k < to; k++) {
        tail = tail << 8 | (s[k] & 0xff);
      }
    }
    if (len >= 16) {
      tail ^= Long.rotateLeft(LogLines.word(s, from), 17);
    }
    long mixed = (tail ^ (tail >>> 29)) * 0x9E3779B97F4A7C15L;
    int h = (hash * 31 + (id << 1 | (quoted ? 1 : 0))) * 31 + len;
    h = h * 31 + (int) (mixed ^ (mixed >>> 32));
    sigLength = p;
    hash = h;
  }

  private static boolean isPid(byte[] s, int from, int to) {
    return to - from == 3 && s[from] == 'p' && s[from + 1] == 'i' && s[from + 2] == 'd';
  }

  /** Appends {@code s[from, to)} as it is, after a marker no field id takes. */
  private void appendTail(byte[] s, int from, int to) {
    int len = to - from;
    int need = sigLength + len + 1;
    if (need > sig.length) {
      sig = Arrays.copyOf(sig, Math.max(need, sig.length * 2));
    }
    sig[sigLength] = (byte) 0x7f;
    System.arraycopy(s, from, sig, sigLength + 1, len);
    sigLength = need;
    // Its length and its first and last eight bytes spread the hash; the memo compares the rest.
    long h = hash * 0x9E3779B97F4A7C15L + len;
    if (len >= 8) {
      h = (h ^ LogLines.word(s, from)) * 0x9E3779B97F4A7C15L;
      h = (h ^ LogLines.word(s, to - 8)) * 0x9E3779B97F4A7C15L;
    } else {
      for (int k = from; k < to; k++) {
        h = (h ^ s[k]) * 0x100000001B3L;
      }
    }
    hash = (int) (h ^ (h >>> 32));
  }

  private static boolean isVerdict(byte[] s, int from, int to) {
    for (byte[] v : VERDICTS) {
      if (v.length == to - from && Arrays.equals(s, from, to, v, 0, v.length)) {
        return true;
      }
    }
    return false;
  }

  private static int keyId(byte[] s, int from, int to) {
    int len = to - from;
    int h = slot(len, s[from], s[to - 1]);
    while (true) {
      int id = KEY_TABLE[h] - 1;
      if (id < 0) {
        return -1;
      }
      byte[] k = KEYS[id];
      if (k.length == len && Arrays.equals(s, from, to, k, 0, len)) {
        return id;
      }
      h = (h + 1) & (TABLE - 1);
    }
  }

  private static int slot(int len, byte first, byte last) {
    return (len * 31 + first * 7 + last * 13) & (TABLE - 1);
  }

  private static boolean isKeyChar(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  /** Whether {@code b[from, at)} ends with {@code word}. */
  private static boolean endsWith(byte[] b, int from, int at, byte[] word) {
    return at - word.length >= from && startsWith(b, at - word.length, at, word);
  }

  private static boolean startsWith(byte[] b, int at, int to, byte[] word) {
    if (to - at < word.length) {
      return false;
    }
    for (int k = 0; k < word.length; k++) {
      if (b[at + k] != word[k]) {
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
