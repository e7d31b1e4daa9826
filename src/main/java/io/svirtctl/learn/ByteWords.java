package io.svirtctl.learn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time: a byte array's bytes read as little-endian {@code long} words, and
 * masks with the high bit set at the bytes of a word that match. A mask's lowest set bit is
 * always right; bits above it may be set wrongly (a borrow runs on), so a caller uses the lowest
 * and checks the byte there.
 */
final class ByteWords {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private ByteWords() {}

  /** {@code b[i, i + 8)} as a little-endian long: byte {@code i} is the lowest. */
  static long word(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }

  /** {@code c} in every byte of a long. */
  static long spread(char c) {
    return ONES * c;
  }

  /** High bits at the bytes of {@code w} equal to the byte of {@code pattern} ({@link #spread}). */
  static long equal(long w, long pattern) {
    long x = w ^ pattern;
    return (x - ONES) & ~x & HIGHS;
  }

  /** High bits at the zero bytes of {@code x}. */
  static long zero(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  /**
   * High bits at the bytes of {@code w} below {@code limit} ({@link #spread}, at most 0x80): for a
   * line scan, below 0x0e holds both line endings and a few other control characters.
   */
  static long below(long w, long limit) {
    return (w - limit) & ~w & HIGHS;
  }

  /**
   * The index (0 to 7) of the byte of a mask's lowest set high bit; the mask is not 0. The
   * lowest bit, moved to the byte's low bit, times a constant holding 7 to 0 from its high byte
   * down, puts the index in the high byte: one multiplication, where the short-lived JIT
   * tier learn runs in counts trailing zeros with a chain of branches.
   */
  static int lowest(long mask) {
    return (int) ((((mask & -mask) >>> 7) * 0x0001020304050607L) >>> 56);
  }
}
