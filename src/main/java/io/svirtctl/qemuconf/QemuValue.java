package io.svirtctl.qemuconf;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A value of a qemu.conf setting as libvirt's virConf reads it: a string, an integer or a list.
 *
 * <p>libvirt keeps whether an integer was written with a leading {@code -} (signed) or not
 * (unsigned), and its typed getters depend on it: {@code -0} is not a boolean. {@link Int}
 * keeps that as {@code signed}.
 */
public sealed interface QemuValue permits QemuValue.Str, QemuValue.Int, QemuValue.Lst {

  /** The value in the form svirtctl writes: double quotes, plain digits, {@code [ "a", "b" ]}. */
  String render();

  /** A string; libvirt has no escape sequences, so any character but a quote or newline. */
  record Str(String value) implements QemuValue {
    public Str {
      Objects.requireNonNull(value, "value");
    }

    /**
     * Double quotes; single quotes when the value holds a double quote; triple double quotes
     * when it holds both or a line break (libvirt has no escapes and ends '…' and "…" at CR or
     * LF). A value that holds both quotes and ends with {@code "} has no form libvirt reads back.
     */
    @Override
    public String render() {
      boolean eol = value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
      if (!eol && value.indexOf('"') < 0) {
        return '"' + value + '"';
      }
      if (!eol && value.indexOf('\'') < 0) {
        return '\'' + value + '\'';
      }
      return "\"\"\"" + value + "\"\"\"";
    }
  }

  /** An integer; {@code signed} is true when it was written with a leading minus sign. */
  record Int(BigInteger value, boolean signed) implements QemuValue {
    public Int {
      Objects.requireNonNull(value, "value");
    }

    /** An integer as svirtctl writes it: a minus sign only for negative values. */
    public static Int of(long v) {
      return new Int(BigInteger.valueOf(v), v < 0);
    }

    /** Plain digits, with a minus sign when negative, and {@code -0} for a signed zero. */
    @Override
    public String render() {
      return signed && value.signum() == 0 ? "-0" : value.toString();
    }
  }

  /** A list of values. */
  record Lst(List<QemuValue> items) implements QemuValue {
    public Lst {
      items = List.copyOf(items);
    }

    /** A list of strings. */
    public static Lst ofStrings(List<String> strings) {
      return new Lst(strings.stream().<QemuValue>map(Str::new).toList());
    }

    @Override
    public String render() {
      if (items.isEmpty()) {
        return "[]";
      }
      return items.stream().map(QemuValue::render).collect(Collectors.joining(", ", "[ ", " ]"));
    }
  }
}
