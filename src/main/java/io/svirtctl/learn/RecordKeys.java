package io.svirtctl.learn;

import java.util.Arrays;

/**
 * The record keys ({@link RecordScan}) a reader has seen, each with a small number, its id, so
 * what learn made of a record is kept once by id and a record seen again costs a table look-up
 * and a comparison of its bytes. Bounded: when {@link #full} the owner settles what it keeps by
 * id and {@link #clear}s it (it is only a memo), so memory stays flat whatever the log.
 *
 * <p>Laid out for few cache misses: a slot is one {@code long} (hash and where the key is), a
 * key's id, length and bytes lie together in one array. The look-ups of a buffer's records are
 * made after {@link #warm}, which loads what they will touch in two passes over the batch, so
 * those loads overlap instead of waiting one after the other.
 */
final class RecordKeys {

  private static final int SLOTS = 1 << 16;
  static final int MAX_ENTRIES = SLOTS / 2;
  private static final int MAX_BYTES = 16 << 20;
  private static final int HEAD = 8;

  /** Per slot: hash in the high half, the entry's offset in the arena + 1 in the low half. */
  private final long[] slots = new long[SLOTS];
  /** Per entry: id and length (4 bytes each), then the key's bytes. */
  private byte[] arena = new byte[1 << 16];
  private int used;
  private int entries;
  private long[] firstSlots = new long[1024];
  /** What {@link #warm} read, kept so the reads are not for nothing. */
  private int warmed;

  /** How many keys are stored: ids are {@code 0} to {@code size() - 1}. */
  int size() {
    return entries;
  }

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
        int last = at + HEAD + batch.end(k) - batch.keyFrom(k);
        for (int j = at; j < last && j < a.length; j += 64) {
          sum += a[j];
        }
      }
    }
    warmed += sum;
  }

  /** The id of {@code key[from, from + length)}, or -1 when it is not stored. */
  int find(byte[] key, int from, int length, int hash) {
    int i = spread(hash);
    long s;
    while ((s = slots[i]) != 0) {
      if ((int) (s >>> 32) == hash) {
        int at = (int) s - 1;
        if (intAt(at + 4) == length
            && Arrays.equals(arena, at + HEAD, at + HEAD + length, key, from, from + length)) {
          return intAt(at);
        }
      }
      i = (i + 1) & (SLOTS - 1);
    }
    return -1;
  }

  /** Whether a key of {@code length} bytes is worth keeping: a line of megabytes is not. */
  static boolean keeps(int length) {
    return length <= MAX_BYTES / 4;
  }

  /** Whether a key of {@code length} bytes cannot be added before a {@link #clear}. */
  boolean full(int length) {
    return entries >= MAX_ENTRIES || used + length + HEAD > MAX_BYTES;
  }

  /** Forgets every key. */
  void clear() {
    Arrays.fill(slots, 0);
    entries = 0;
    used = 0;
  }

  /**
   * Stores {@code key[from, from + length)}, which is not stored yet, and returns its id; the
   * table is not {@link #full} for it.
   */
  int add(byte[] key, int from, int length, int hash) {
    if (used + length + HEAD > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(used + length + HEAD, arena.length * 2));
    }
    int i = spread(hash);
    while (slots[i] != 0) {
      i = (i + 1) & (SLOTS - 1);
    }
    int id = entries++;
    putInt(used, id);
    putInt(used + 4, length);
    System.arraycopy(key, from, arena, used + HEAD, length);
    slots[i] = (long) hash << 32 | (used + 1);
    used += length + HEAD;
    return id;
  }

  private int intAt(int at) {
    byte[] a = arena;
    return (a[at] & 0xff) << 24 | (a[at + 1] & 0xff) << 16 | (a[at + 2] & 0xff) << 8
        | (a[at + 3] & 0xff);
  }

  private void putInt(int at, int v) {
    byte[] a = arena;
    a[at] = (byte) (v >>> 24);
    a[at + 1] = (byte) (v >>> 16);
    a[at + 2] = (byte) (v >>> 8);
    a[at + 3] = (byte) v;
  }

  private static int spread(int hash) {
    int h = hash * 0x9E3779B9;
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
