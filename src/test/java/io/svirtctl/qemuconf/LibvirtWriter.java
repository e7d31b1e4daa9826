package io.svirtctl.qemuconf;

import java.util.stream.Collectors;

/**
 * Writes a parsed document the way libvirt's virConfWriteMem does (one {@code name = value}
 * per entry, its quoting choices, {@code #comment} lines, blank lines dropped), so tests can
 * compare our reading of a file with libvirt's recorded serialisation of its own reading.
 */
final class LibvirtWriter {

  private LibvirtWriter() {}

  static String write(QemuConfDocument doc) {
    StringBuilder b = new StringBuilder();
    for (ConfStatement st : doc.statements()) {
      if (st instanceof ConfEntry e) {
        b.append(e.key()).append(" = ").append(value(e.value()));
        e.comment().ifPresent(c -> b.append(" #").append(c));
      } else if (st instanceof ConfComment c) {
        b.append('#').append(c.text());
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String value(QemuValue v) {
    if (v instanceof QemuValue.Str s) {
      String t = s.value();
      if (t.indexOf('\n') >= 0) {
        return "\"\"\"" + t + "\"\"\"";
      }
      if (t.indexOf('"') < 0) {
        return '"' + t + '"';
      }
      return t.indexOf('\'') < 0 ? '\'' + t + '\'' : "\"\"\"" + t + "\"\"\"";
    }
    if (v instanceof QemuValue.Int i) {
      // %lld of a signed value, %llu of an unsigned one: a signed zero prints as 0.
      return i.value().toString();
    }
    QemuValue.Lst l = (QemuValue.Lst) v;
    return l.items().stream().map(LibvirtWriter::value).collect(Collectors.joining(", ", "[ ", " ]"));
  }
}
