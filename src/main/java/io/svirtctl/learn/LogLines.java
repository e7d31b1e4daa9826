package io.svirtctl.learn;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits a byte stream into lines where a text reader would ({@code \n}, {@code \r} and {@code
 * \r\n} end a line; a last line without an ending counts), without decoding it, through one
 * buffer that grows only for a line longer than itself.
 */
final class LogLines {

  /** Receives each line as {@code b[from, to)}, without its ending; valid only during the call. */
  interface Sink {
    void line(byte[] b, int from, int to) throws IOException;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LF = ONES * '\n';
  private static final long CR = ONES * '\r';

  private LogLines() {}

  /** Reads {@code in} to its end, buffering {@code bufferSize} bytes at a time. */
  static void read(InputStream in, int bufferSize, Sink sink) throws IOException {
    byte[] buf = new byte[Math.max(bufferSize, 16)];
    int len = 0;
    int lineStart = 0;
    int scan = 0;
    boolean eof = false;
    while (true) {
      int r = in.read(buf, len, buf.length - len);
      if (r < 0) {
        eof = true;
      } else {
        len += r;
      }
      while (true) {
        int t = ending(buf, scan, len);
        if (t < 0) {
          scan = len;
          break;
        }
        if (buf[t] == '\r' && t + 1 >= len && !eof) {
          scan = t; // whether a \n follows is in the next read
          break;
        }
        sink.line(buf, lineStart, t);
        lineStart = buf[t] == '\r' && t + 1 < len && buf[t + 1] == '\n' ? t + 2 : t + 1;
        scan = lineStart;
      }
      if (eof) {
        if (lineStart < len) {
          sink.line(buf, lineStart, len);
        }
        return;
      }
      if (lineStart > 0) {
        System.arraycopy(buf, lineStart, buf, 0, len - lineStart);
        len -= lineStart;
        scan -= lineStart;
        lineStart = 0;
      } else if (len == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
    }
  }

  /** The bytes of {@code b} from {@code i} as a little-endian long (8 bytes must be there). */
  static long word(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }

  /**
   * High bits at the bytes of {@code w} equal to {@code pattern}'s ({@code byte * ONES}); bytes
   * above the lowest match may be marked wrongly, so only the lowest is to be used.
   */
  static long equalBytes(long w, long pattern) {
    long x = w ^ pattern;
    return (x - ONES) & ~x & HIGHS;
  }

  /** {@code c} in every byte of a long. */
  static long spread(char c) {
    return ONES * c;
  }

  /** The first {@code c} in {@code b[from, to)}, eight bytes at a time; or -1. */
  static int indexOf(byte[] b, int from, int to, long pattern, byte c) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long m = equalBytes((long) LONGS.get(b, i), pattern);
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** The first {@code \n} or {@code \r} in {@code b[from, to)}; or -1. */
  static int ending(byte[] b, int from, int to) {
    return indexOfEither(b, from, to, LF, CR);
  }

  /**
   * The first byte of {@code b[from, to)} equal to the byte of {@code one} or of {@code other}
   * ({@link #spread}), eight bytes at a time; or -1.
   */
  static int indexOfEither(byte[] b, int from, int to, long one, long other) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = (long) LONGS.get(b, i);
      long m = equalBytes(w, one) | equalBytes(w, other);
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
    }
    byte c1 = (byte) one;
    byte c2 = (byte) other;
    for (; i < to; i++) {
      if (b[i] == c1 || b[i] == c2) {
        return i;
      }
    }
    return -1;
  }
}
