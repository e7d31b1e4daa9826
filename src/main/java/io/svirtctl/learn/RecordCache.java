package io.svirtctl.learn;

import java.util.Arrays;

/**
 * What learn made of each record key it has seen ({@link RecordScan}), so a record seen again
 * costs a table look-up and a comparison of its bytes. Bounded: when full it forgets everything
 * and fills again (it is only a memo), so memory stays flat whatever the log.
 *
 * <p>Laid out for few cache misses: a slot is one {@code long} (hash and where the key is), a
 * key's length and bytes lie together in one array. The look-ups of a buffer's records are
 * made after {@link #warm}, which loads what they will touch in two passes over the batch, so
 * those loads overlap instead of waiting one after the other.
 */
final class RecordCache<V> {

  private static final int SLOTS = 1 << 16;
  private static final int MAX_ENTRIES = SLOTS / 2;
  private static final int MAX_BYTES = 16 << 20;

  /** Per slot: hash in the high half, the entry's offset in the arena + 1 in the low half. */
  private final long[] slots = new long[SLOTS];
  private final Object[] values = new Object[SLOTS];
  private byte[] arena = new byte[1 << 16];
  private int used;
  private int entries;
  private long[] firstSlots = new long[1024];
  /** What {@link #warm} read, kept so the reads are not for nothing. */
  private int warmed;

  /** Loads the first slot and key bytes each record of {@code batch} will be compared with. */
  void warm(ScanBatch batch) {
    int n = batch.size();
    if (firstSlots.length < n) {
      firstSlots = new long[Math.max(n, firstSlots.length * 2)];
    }
    long[] s = firstSlots;
    long[] table = slots;
    for (int k = 0; k < n; k++) {
      s[k] = table[spread(batch.hash(k))];
    }
    byte[] a = arena;
    int sum = 0;
    for (int k = 0; k < n; k++) {
      int at = (int) s[k] - 1;
      if (at >= 0) {
        sum += a[at];
      }
    }
    warmed += sum;
  }

  /** The value stored for {@code key[from, from + length)}, or null. */
  @SuppressWarnings("unchecked")
  V get(byte[] key, int from, int length, int hash) {
    int i = spread(hash);
    long s;
    while ((s = slots[i]) != 0) {
      if ((int) (s >>> 32) == hash) {
        int at = (int) s - 1;
        if (lengthAt(at) == length
            && Arrays.equals(arena, at + 4, at + 4 + length, key, from, from + length)) {
          return (V) values[i];
        }
      }
      i = (i + 1) & (SLOTS - 1);
    }
    return null;
  }

  /** Stores {@code value} for {@code key[from, from + length)}, which is not stored yet. */
  void put(byte[] key, int from, int length, int hash, V value) {
    if (length > MAX_BYTES / 4) {
      return;
    }
    if (entries >= MAX_ENTRIES || used + length + 4 > MAX_BYTES) {
      Arrays.fill(slots, 0);
      Arrays.fill(values, null);
      entries = 0;
      used = 0;
    }
    if (used + length + 4 > arena.length) {
      arena = Arrays.copyOf(arena, Math.min(MAX_BYTES, Math.max(used + length + 4, arena.length * 2)));
    }
    int i = spread(hash);
    while (slots[i] != 0) {
      i = (i + 1) & (SLOTS - 1);
    }
    byte[] a = arena;
    a[used] = (byte) (length >>> 24);
    a[used + 1] = (byte) (length >>> 16);
    a[used + 2] = (byte) (length >>> 8);
    a[used + 3] = (byte) length;
    System.arraycopy(key, from, a, used + 4, length);
    values[i] = value;
    slots[i] = (long) hash << 32 | (used + 1);
    entries++;
    used += length + 4;
  }

  private int lengthAt(int at) {
    byte[] a = arena;
    return (a[at] & 0xff) << 24 | (a[at + 1] & 0xff) << 16 | (a[at + 2] & 0xff) << 8 | (a[at + 3] & 0xff);
  }

  private static int spread(int hash) {
    int h = hash * 0x9E3779B9;
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
