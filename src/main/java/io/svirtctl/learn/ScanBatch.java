package io.svirtctl.learn;

import java.util.Arrays;

/**
 * The lines of one buffer that need more than counting, in the order they came: records the
 * memo may know ({@link RecordScan}) and lines only {@link RecordParser} can read. Kept as
 * arrays side by side, reused from buffer to buffer.
 */
final class ScanBatch {

  private int size;
  private boolean[] record = new boolean[1024];
  private int[] lineFrom = new int[1024];
  private int[] keyFrom = new int[1024];
  private int[] end = new int[1024];
  private int[] hash = new int[1024];
  private long[] millis = new long[1024];
  private long[] line = new long[1024];

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }

  /**
   * A record: the line is {@code [lineFrom, end)}, its key (what the memo compares) {@code
   * [keyFrom, end)} with {@code hash}, its time {@code millis}; {@code line} is its number.
   */
  void record(int lineFrom, int keyFrom, int end, int hash, long millis, long line) {
    add(true, lineFrom, keyFrom, end, hash, millis, line);
  }

  /** A line for the parser: {@code [lineFrom, end)}, number {@code line}. */
  void ask(int lineFrom, int end, long line) {
    add(false, lineFrom, lineFrom, end, 0, 0, line);
  }

  private void add(boolean isRecord, int from, int key, int to, int h, long ms, long number) {
    if (size == record.length) {
      int n = size * 2;
      record = Arrays.copyOf(record, n);
      lineFrom = Arrays.copyOf(lineFrom, n);
      keyFrom = Arrays.copyOf(keyFrom, n);
      end = Arrays.copyOf(end, n);
      hash = Arrays.copyOf(hash, n);
      millis = Arrays.copyOf(millis, n);
      line = Arrays.copyOf(line, n);
    }
    record[size] = isRecord;
    lineFrom[size] = from;
    keyFrom[size] = key;
    end[size] = to;
    hash[size] = h;
    millis[size] = ms;
    line[size] = number;
    size++;
  }

  boolean isRecord(int k) {
    return record[k];
  }

  int lineFrom(int k) {
    return lineFrom[k];
  }

  int keyFrom(int k) {
    return keyFrom[k];
  }

  int end(int k) {
    return end[k];
  }

  int hash(int k) {
    return hash[k];
  }

  long millis(int k) {
    return millis[k];
  }

  long line(int k) {
    return line[k];
  }
}
