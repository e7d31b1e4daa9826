package io.svirtctl.learn;

import java.util.List;

/**
 * What a log line's record type (the value of its first {@code type=}, up to a space) says of
 * it. AppArmor's records come as {@code AVC}/{@code 1400} or {@code USER_AVC}/{@code 1107}
 * records, or, from older kernels, as records of their own types ({@code APPARMOR…},
 * {@code 150…}, {@code UNKNOWN[150…}); a line of any other type (auditd's {@code SYSCALL},
 * {@code PROCTITLE}, logins, services) is another subsystem's, whatever its text holds. The
 * same reading for decoded lines ({@link RecordParser}) and for bytes ({@link RecordScan}).
 */
enum RecordType {
  /** No {@code type=}: dmesg and journald forms without one. */
  NONE,
  /** A type AppArmor's records come in, with other subsystems' records. */
  CARRIER,
  /** One of AppArmor's own record types, older kernels'. */
  OLD,
  /** Any other type. */
  OTHER;

  private static final String TYPE = "type=";
  private static final List<String> CARRIERS = List.of("AVC", "1400", "USER_AVC", "1107");
  private static final List<String> OLD_PREFIXES = List.of("APPARMOR", "150", "UNKNOWN[150");

  /** The record type of a line. */
  static RecordType of(String line) {
    int t = line.indexOf(TYPE);
    if (t < 0) {
      return NONE;
    }
    int from = t + TYPE.length();
    int end = line.indexOf(' ', from);
    String value = line.substring(from, end < 0 ? line.length() : end);
    if (CARRIERS.contains(value)) {
      return CARRIER;
    }
    for (String p : OLD_PREFIXES) {
      if (value.startsWith(p)) {
        return OLD;
      }
    }
    return OTHER;
  }

  /**
   * The record type whose value starts at {@code b[at]} (just after {@code type=}), in a line
   * that ends at the first {@code \n} or {@code \r} before {@code len}. Called for every
   * line, so the first byte decides most of them.
   */
  static RecordType of(byte[] b, int at, int len) {
    if (at >= len) {
      return OTHER;
    }
    byte first = b[at];
    // Every carrier and old type starts with one of these.
    if (first != 'A' && first != '1' && first != 'U') {
      return OTHER;
    }
    int end = at;
    while (end < len && b[end] != ' ' && b[end] != '\n' && b[end] != '\r') {
      end++;
    }
    if (end - at == 3 && first == 'A' && b[at + 1] == 'V' && b[at + 2] == 'C') {
      return CARRIER; // the most common by far
    }
    for (String c : CARRIERS) {
      if (end - at == c.length() && startsWith(b, at, end, c)) {
        return CARRIER;
      }
    }
    for (String p : OLD_PREFIXES) {
      if (startsWith(b, at, end, p)) {
        return OLD;
      }
    }
    return OTHER;
  }

  private static boolean startsWith(byte[] b, int at, int end, String word) {
    if (end - at < word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[at + k] != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
