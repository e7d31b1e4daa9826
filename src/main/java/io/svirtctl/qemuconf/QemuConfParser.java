package io.svirtctl.qemuconf;

import io.svirtctl.InvalidInputException;
import io.svirtctl.LineIndex;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parser that accepts and refuses exactly what libvirt 9.0's virConf parser does (virconf.c in
 * its default, non-VMX, non-LXC mode), step by step in the same order, so that error messages
 * and line numbers are libvirt's too.
 *
 * <p>libvirt works on bytes and reads a NUL past the end of its buffer; {@link #cur()} returns
 * {@code '\0'} there. Its two length checks on triple quotes count UTF-8 bytes, so this parser
 * keeps a byte offset per char for them.
 */
final class QemuConfParser {

  private static final String TRIPLE = "\"\"\"";

  private final String fileName;
  private final String s;
  private final int end;
  private final int[] byteOffset;
  private int pos;
  private final List<ConfStatement> statements = new ArrayList<>();

  private QemuConfParser(String fileName, String text) {
    this.fileName = fileName;
    this.s = text;
    this.end = text.length();
    this.byteOffset = new int[end + 1];
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      int n = c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
      byteOffset[i + 1] = byteOffset[i] + n;
    }
  }

  /** Every statement of {@code text}, in order; throws with libvirt's message on a syntax error. */
  static List<ConfStatement> parse(String fileName, String text) {
    QemuConfParser p = new QemuConfParser(fileName, text);
    while (p.pos < p.end) {
      p.statement();
      p.separator();
    }
    return List.copyOf(p.statements);
  }

  private void statement() {
    skipBlanksAndEol();
    if (cur() == '#') {
      int start = pos;
      pos++;
      while (pos < end && !isEol(cur())) {
        pos++;
      }
      statements.add(new ConfComment(s.substring(start + 1, pos), start, pos));
      return;
    }
    skipBlanks();
    int start = pos;
    if (!isAsciiAlpha(cur())) {
      throw error("expecting a name");
    }
    while (pos < end && (isAsciiAlpha(cur()) || isAsciiDigit(cur()) || cur() == '_')) {
      pos++;
    }
    String key = s.substring(start, pos);
    skipBlanks();
    if (cur() != '=') {
      throw error("expecting an assignment");
    }
    pos++;
    skipBlanks();
    int valueStart = pos;
    QemuValue value = value();
    int valueEnd = pos;
    skipBlanks();
    Optional<String> comment = Optional.empty();
    int stmtEnd = valueEnd;
    if (cur() == '#') {
      pos++;
      int base = pos;
      while (pos < end && !isEol(cur())) {
        pos++;
      }
      comment = Optional.of(s.substring(base, pos));
      stmtEnd = pos;
    }
    statements.add(new ConfEntry(key, value, start, valueStart, valueEnd, stmtEnd, comment));
  }

  private void separator() {
    skipBlanks();
    if (pos >= end) {
      return;
    }
    if (isEol(cur())) {
      skipBlanksAndEol();
    } else if (cur() == ';') {
      pos++;
      skipBlanksAndEol();
    } else {
      throw error("expecting a separator");
    }
  }

  private QemuValue value() {
    skipBlanks();
    if (pos >= end) {
      throw error("expecting a value");
    }
    char c = cur();
    if (c == '"' || c == '\'') {
      return new QemuValue.Str(string());
    }
    if (c == '[') {
      return list();
    }
    if (isAsciiDigit(c) || c == '-' || c == '+') {
      return number();
    }
    throw error("expecting a value");
  }

  private QemuValue list() {
    List<QemuValue> items = new ArrayList<>();
    pos++;
    skipBlanksAndEol();
    if (pos < end && cur() != ']') {
      items.add(value());
      skipBlanksAndEol();
    }
    while (pos < end && cur() != ']') {
      if (cur() != ',') {
        throw error("expecting a separator in list");
      }
      pos++;
      skipBlanksAndEol();
      if (cur() == ']') {
        break;
      }
      items.add(value());
      skipBlanksAndEol();
    }
    if (cur() != ']') {
      throw error("list is not closed with ]");
    }
    pos++;
    return new QemuValue.Lst(items);
  }

  private QemuValue number() {
    boolean negative = cur() == '-';
    if (negative || cur() == '+') {
      pos++;
    }
    if (pos >= end || !isAsciiDigit(cur())) {
      throw error("unterminated number");
    }
    // libvirt accumulates in a C long long without overflow checks; Java's long wraps the same.
    long l = 0;
    while (pos < end && isAsciiDigit(cur())) {
      l = l * 10 + (cur() - '0');
      pos++;
    }
    if (negative) {
      return new QemuValue.Int(BigInteger.valueOf(-l), true);
    }
    return new QemuValue.Int(new BigInteger(Long.toUnsignedString(l)), false);
  }

  private String string() {
    char q = cur();
    if (q == '"' && bytesLeft() > 6 && s.startsWith(TRIPLE, pos)) {
      pos += 3;
      int base = pos;
      while (bytesLeft() > 2 && !s.startsWith(TRIPLE, pos)) {
        pos++;
      }
      if (!s.startsWith(TRIPLE, pos)) {
        throw error("unterminated string");
      }
      String str = s.substring(base, pos);
      pos += 3;
      return str;
    }
    pos++;
    int base = pos;
    while (pos < end && cur() != q && !isEol(cur())) {
      pos++;
    }
    if (cur() != q) {
      throw error("unterminated string");
    }
    String str = s.substring(base, pos);
    pos++;
    return str;
  }

  private int bytesLeft() {
    return byteOffset[end] - byteOffset[pos];
  }

  private char cur() {
    return pos < end ? s.charAt(pos) : '\0';
  }

  private void skipBlanks() {
    while (pos < end && isBlank(cur())) {
      pos++;
    }
  }

  private void skipBlanksAndEol() {
    while (pos < end && (isBlank(cur()) || isEol(cur()))) {
      pos++;
    }
  }

  private InvalidInputException error(String message) {
    return new InvalidInputException(LineIndex.of(s).location(fileName, pos), message);
  }

  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  static boolean isEol(char c) {
    return c == '\n' || c == '\r';
  }

  private static boolean isAsciiAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
