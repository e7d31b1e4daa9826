package io.svirtctl;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict UTF-8 decoding of an input file with the position of the first bad byte, so every
 * reader (state files, host files) reports it as {@code file:line:col} instead of a Java error.
 */
public final class StrictUtf8 {

  private StrictUtf8() {}

  /**
   * The text of {@code bytes}.
   *
   * @param shownName the file name diagnostics print
   * @throws InvalidInputException at the line and column (characters, 1-based) of the first
   *     malformed byte sequence
   */
  public static String decode(byte[] bytes, String shownName) {
    Decoding d = decoding(bytes);
    if (d.result().isError()) {
      int offset = d.in().position();
      throw new InvalidInputException(
          position(d.out(), shownName),
          String.format("invalid UTF-8 (byte 0x%02x at offset %d)", bytes[offset] & 0xff, offset));
    }
    d.out().flip();
    return d.out().toString();
  }

  /** Where the first byte that is not UTF-8 sits, if any. */
  public static Optional<SourceLocation> firstInvalid(byte[] bytes, String shownName) {
    Decoding d = decoding(bytes);
    return d.result().isError() ? Optional.of(position(d.out(), shownName)) : Optional.empty();
  }

  private record Decoding(ByteBuffer in, CharBuffer out, CoderResult result) {}

  private static Decoding decoding(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    return new Decoding(in, out, result);
  }

  /** The line and column just after the characters decoded so far. */
  private static SourceLocation position(CharBuffer decoded, String shownName) {
    decoded.flip();
    String text = decoded.toString();
    return LineIndex.of(text).location(shownName, text.length());
  }
}
