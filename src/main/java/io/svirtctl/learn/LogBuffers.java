package io.svirtctl.learn;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a byte stream through one buffer and hands over its complete lines a buffer at a time,
 * without decoding them. A line ends at {@code \n}, {@code \r} or {@code \r\n}, as a text
 * reader's lines do; at the end of the stream a last line without an ending gets a {@code \n},
 * so every line handed over has its ending. The buffer grows only for a line longer than itself.
 */
final class LogBuffers {

  /** Bytes past the data that a word read ({@link ByteWords#word}) may touch; they mean nothing. */
  static final int SLACK = 8;

  /** Takes the lines of one buffer. */
  interface Lines {
    /**
     * Takes the complete lines of {@code b[from, len)}; returns where the first line it leaves
     * starts (its ending is not read yet; {@code len} when it took all). At {@code eof} every
     * line is complete. {@code b[len, len + SLACK)} may be read.
     */
    int take(byte[] b, int from, int len, boolean eof) throws IOException;
  }

  private LogBuffers() {}

  /** Reads {@code in} to its end, {@code bufferSize} bytes at a time at most. */
  static void read(InputStream in, int bufferSize, Lines lines) throws IOException {
    int capacity = Math.max(bufferSize, 16);
    byte[] buf = new byte[capacity + 1 + SLACK];
    int len = 0;
    while (true) {
      int r = in.read(buf, len, capacity - len);
      boolean eof = r < 0;
      if (eof) {
        if (len > 0 && buf[len - 1] != '\n' && buf[len - 1] != '\r') {
          buf[len++] = '\n';
        }
      } else {
        len += r;
      }
      int taken = lines.take(buf, 0, len, eof);
      if (eof) {
        return;
      }
      if (taken > 0) {
        System.arraycopy(buf, taken, buf, 0, len - taken);
        len -= taken;
      } else if (len == capacity) {
        capacity *= 2;
        buf = Arrays.copyOf(buf, capacity + 1 + SLACK);
      }
    }
  }
}
