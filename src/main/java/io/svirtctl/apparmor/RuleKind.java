package io.svirtctl.apparmor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kinds of one-line rule apparmor_parser 3.0.8 accepts in a profile body. */
public enum RuleKind {
  FILE("file"),
  LINK("link"),
  NETWORK("network"),
  CAPABILITY("capability"),
  SIGNAL("signal"),
  PTRACE("ptrace"),
  UNIX("unix"),
  DBUS("dbus"),
  MOUNT("mount"),
  UMOUNT("umount"),
  UNMOUNT("unmount"),
  REMOUNT("remount"),
  PIVOT_ROOT("pivot_root"),
  CHANGE_PROFILE("change_profile"),
  RLIMIT("set rlimit"),
  INCLUDE("include");

  private final String keyword;

  RuleKind(String keyword) {
    this.keyword = keyword;
  }

  /** The keyword that starts the rule (file rules may also start with a path or permissions). */
  public String keyword() {
    return keyword;
  }

  /**
   * Whether apparmor_parser reads the rule's words in a mode of its own, where a {@code ,}
   * followed by a word character continues the word (as in {@code member={A,B}}).
   */
  boolean wordsContinueOverCommas() {
    return switch (this) {
      case NETWORK, SIGNAL, PTRACE, UNIX, DBUS, MOUNT, UMOUNT, UNMOUNT, REMOUNT, PIVOT_ROOT,
          CHANGE_PROFILE -> true;
      default -> false;
    };
  }

  /** The kind a rule's first keyword names, if it names one. */
  static Optional<RuleKind> ofKeyword(String word) {
    return Arrays.stream(values())
        .filter(k -> k != RLIMIT && k != INCLUDE && k.keyword.equals(word))
        .findFirst();
  }

  /** Every keyword, for suggestions. */
  static List<String> keywords() {
    return Arrays.stream(values()).map(k -> k.keyword.toLowerCase(Locale.ROOT)).toList();
  }
}
