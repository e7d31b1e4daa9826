package io.svirtctl.learn;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads one log line into an {@link AuditRecord}, whatever form the kernel's AppArmor record
 * arrived in: auditd ({@code type=AVC msg=audit(…):}, {@code type=1400}, old {@code
 * type=APPARMOR_DENIED}/{@code type=1503}, with auditd's enrichment after a GS character),
 * kern.log/syslog (RFC 3164 or RFC 3339 dates), dmesg with or without {@code audit:} and with
 * {@code -T} dates, journald ({@code audit[PID]: AVC apparmor=…}), user-space {@code USER_AVC}
 * records, bare records and records with noise glued in front. Whatever precedes the fields is
 * ignored except the {@code audit(…)} stamp and the record type ({@link RecordType});
 * unknown fields are dropped. A line is a record when its type is not another subsystem's and
 * it has an {@code apparmor=} verdict field or an AppArmor record type (older kernels', whose
 * fields start at {@code operation=}); the fields start at the first of {@code apparmor=} and
 * {@code operation=}.
 */
public final class RecordParser {

  /** Fields a rule, a scope decision or a report needs; everything else is dropped. */
  static final List<String> KEPT = List.of(
      "apparmor", "operation", "profile", "label", "name", "name2", "target",
      "requested_mask", "denied_mask", "requested", "denied", "mask", "fsuid", "ouid",
      "family", "sock_type", "protocol", "capname", "capability", "signal", "peer", "peer_addr",
      "addr", "info", "class", "error", "peer_label", "peer_profile", "comm", "bus", "path",
      "interface", "member", "srcname", "flags", "fstype", "namespace");
  private static final Set<String> KEPT_SET = Set.copyOf(KEPT);

  /** The values of {@code apparmor="…"} a verdict is read from. */
  static final List<String> VERDICTS =
      List.of("ALLOWED", "DENIED", "KILLED", "AUDIT", "STATUS", "HINT", "ERROR");

  /** Fields the kernel hex-encodes when their value holds spaces, quotes or control characters. */
  private static final Set<String> ENCODED = Set.of(
      "profile", "label", "name", "name2", "target", "peer", "comm", "peer_label",
      "peer_profile", "srcname", "namespace", "addr", "peer_addr");

  private final LineDate dates;

  /** @param dates reads the date a log line starts with, for records without {@code audit(…)} */
  public RecordParser(LineDate dates) {
    this.dates = dates;
  }

  /** What {@code line} is: a record, another subsystem's line, or an unreadable record. */
  public ParseResult parse(String line) {
    RecordType type = RecordType.of(line);
    int app = type == RecordType.OTHER ? -1 : line.indexOf("apparmor=");
    if (app < 0 && type != RecordType.OLD) {
      // Another type's record, or neither a verdict field nor an AppArmor record type:
      // another subsystem's line, even when a word in it looks like a field name.
      return new ParseResult.NotAppArmor();
    }
    int op = line.indexOf("operation=");
    if (app < 0 && op < 0) {
      return new ParseResult.Unparsed("an AppArmor record without fields (old format)");
    }
    int start = app < 0 ? op : op < 0 ? app : Math.min(app, op);
    OptionalLong when;
    int stamp = line.indexOf("audit(");
    if (stamp >= 0 && stamp < start) {
      long millis = AuditStamp.millis(line, stamp + 6);
      if (millis < 0) {
        return new ParseResult.Unparsed("malformed audit(…) time stamp");
      }
      when = OptionalLong.of(millis);
    } else {
      when = dates.epochMillis(line);
    }
    Map<String, String> fields = new HashMap<>(32);
    String problem = fields(line, start, fields);
    if (problem != null) {
      return new ParseResult.Unparsed(problem);
    }
    Verdict verdict = verdict(fields.get("apparmor"), line, start);
    if (verdict == null) {
      return fields.containsKey("apparmor") || type == RecordType.OLD
          ? new ParseResult.Unparsed("unknown AppArmor verdict")
          : new ParseResult.NotAppArmor();
    }
    return new ParseResult.Parsed(new AuditRecord(verdict, when, fields));
  }

  /** Reads {@code key=value} pairs from {@code i}; a problem's description, or null. */
  private static String fields(String s, int i, Map<String, String> out) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\u001d' || c == '\'' || c == '\r') {
        i++;
        continue;
      }
      int keyStart = i;
      while (i < n && isKeyChar(s.charAt(i))) {
        i++;
      }
      if (i == keyStart || i >= n || s.charAt(i) != '=') {
        // Not a field (free text around the record): skip the word.
        while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '\u001d') {
          i++;
        }
        continue;
      }
      String key = s.substring(keyStart, i);
      i++;
      String value;
      boolean quoted = i < n && s.charAt(i) == '"';
      if (quoted) {
        int close = s.indexOf('"', i + 1);
        if (close < 0) {
          return "unterminated quoted value of " + key;
        }
        value = s.substring(i + 1, close);
        i = close + 1;
      } else {
        int end = i;
        while (end < n) {
          char e = s.charAt(end);
          if (e == ' ' || e == '\u001d' || e == '\'' || e == '\t' || e == '\r') {
            break;
          }
          end++;
        }
        value = s.substring(i, end);
        i = end;
      }
      if (!KEPT_SET.contains(key) || out.containsKey(key)) {
        continue;
      }
      if (!quoted && ENCODED.contains(key) && isHex(value)) {
        value = new String(hex(value), StandardCharsets.UTF_8);
      }
      out.put(key, value);
    }
    return null;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isHex(String v) {
    if (v.isEmpty() || v.length() % 2 != 0) {
      return false;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private static byte[] hex(String v) {
    byte[] b = new byte[v.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(v.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  /** The verdict from {@code apparmor="…"}, else from the record type of older kernels. */
  private static Verdict verdict(String field, String line, int fieldsStart) {
    if (field != null) {
      switch (field) {
        case "ALLOWED":
          return Verdict.ALLOWED;
        case "DENIED":
        case "KILLED":
          return Verdict.DENIED;
        case "AUDIT":
          return Verdict.AUDIT;
        case "STATUS":
          return Verdict.STATUS;
        case "HINT":
          return Verdict.HINT;
        case "ERROR":
          return Verdict.ERROR;
        default:
          return null;
      }
    }
    int t = line.indexOf("type=");
    while (t >= 0) {
      int end = t + 5;
      while (end < line.length() && line.charAt(end) != ' ') {
        end++;
      }
      Verdict v = ofType(line.substring(t + 5, end));
      if (v != null) {
        return v;
      }
      t = line.indexOf("type=", end);
    }
    return null;
  }

  private static Verdict ofType(String type) {
    String code = type.startsWith("UNKNOWN[") && type.endsWith("]")
        ? type.substring(8, type.length() - 1) : type;
    switch (code) {
      case "1501":
      case "APPARMOR_AUDIT":
        return Verdict.AUDIT;
      case "1502":
      case "APPARMOR_ALLOWED":
        return Verdict.ALLOWED;
      case "1503":
      case "APPARMOR_DENIED":
        return Verdict.DENIED;
      case "1504":
      case "APPARMOR_HINT":
        return Verdict.HINT;
      case "1505":
      case "APPARMOR_STATUS":
        return Verdict.STATUS;
      case "1506":
      case "APPARMOR_ERROR":
        return Verdict.ERROR;
      default:
        return null;
    }
  }
}
