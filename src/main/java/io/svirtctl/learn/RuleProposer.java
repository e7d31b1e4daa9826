package io.svirtctl.learn;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one record into the rule AppArmor's own log tool would propose for it, for the rule kinds
 * a QEMU guest's profile holds: file access ({@code PATH PERMS,}), {@code capability}, {@code
 * network FAMILY TYPE}, {@code signal}, {@code ptrace} and {@code unix}. Records of other kinds
 * (mount, dbus, change_profile, mqueue, …) and records without the fields a rule needs propose
 * nothing.
 */
public final class RuleProposer {

  /** Operations on files besides {@code file_*} and {@code inode_*} (as the tool lists them). */
  private static final Set<String> FILE_OPERATIONS = Set.of(
      "open", "truncate", "mkdir", "mknod", "chmod", "chown", "rename_src", "rename_dest",
      "unlink", "rmdir", "symlink", "symlink_create", "link", "getattr", "setattr", "xattr",
      "create", "post_create", "sysctl");

  /** The rule for {@code r}, when it is an access its profile does not allow yet. */
  public Optional<ProposedRule> propose(AuditRecord r) {
    if (!r.verdict().wantsRule()
        || r.field("info").filter(i -> i.startsWith("Failed name lookup")).isPresent()) {
      return Optional.empty();
    }
    String op = r.operation();
    Optional<String> cls = r.field("class");
    if (op.equals("capable")) {
      return r.firstOf("capname", "name").filter(RuleProposer::isWord)
          .map(c -> new ProposedRule.Other("capability " + c + ","));
    }
    if (op.equals("signal")) {
      return signal(r);
    }
    if (op.equals("ptrace")) {
      Optional<String> peer = r.field("peer").filter(p -> !p.isEmpty());
      Optional<String> mask = r.field("denied_mask").filter(RuleProposer::isWords);
      if (peer.isEmpty() || mask.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new ProposedRule.Other(
          "ptrace " + perms(mask.get()) + " peer=" + label(peer.get()) + ","));
    }
    Optional<String> name = r.field("name").filter(n -> n.startsWith("/"));
    if (op.equals("exec") && cls.map(c -> c.equals("file")).orElse(true)) {
      return name.map(n -> new ProposedRule.FileAccess(n, "mr", true, false));
    }
    Optional<String> family = r.field("family");
    if (family.isPresent() && cls.map(c -> c.equals("net")).orElse(true)) {
      if (family.get().equals("unix")) {
        return unix(r);
      }
      if (r.field("sock_type").isPresent() && r.field("protocol").isPresent()) {
        String type = r.field("sock_type").get();
        if (!isWord(family.get()) || !isWord(type)) {
          return Optional.empty();
        }
        return Optional.of(new ProposedRule.Other("network " + family.get() + " " + type + ","));
      }
    }
    if (cls.isPresent() && !cls.get().equals("file")) {
      return Optional.empty();
    }
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (op.startsWith("file_") || op.startsWith("inode_") || FILE_OPERATIONS.contains(op)) {
      return file(r, name.get());
    }
    return Optional.empty();
  }

  private static Optional<ProposedRule> file(AuditRecord r, String path) {
    Optional<String> denied = r.firstOf("denied_mask", "denied");
    if (denied.isEmpty()) {
      return Optional.empty();
    }
    String mask = denied.get();
    boolean owner = false;
    int split = mask.indexOf("::");
    if (split >= 0) {
      // Old kernels wrote owner::other permissions.
      String ownerPart = mask.substring(0, split);
      owner = !ownerPart.isEmpty();
      mask = owner ? ownerPart : mask.substring(split + 2);
    }
    Optional<String> fsuid = r.field("fsuid");
    if (fsuid.isPresent() && fsuid.equals(r.field("ouid"))) {
      owner = true;
    }
    // A create (c) or delete (d) is a write in profile language.
    StringBuilder perms = new StringBuilder();
    for (char c : mask.toCharArray()) {
      char p = c == 'c' || c == 'd' ? 'w' : c;
      if ("mrwalk".indexOf(p) >= 0) {
        perms.append(p);
      }
    }
    if (perms.length() == 0) {
      return Optional.empty();
    }
    return Optional.of(new ProposedRule.FileAccess(path, perms.toString(), false, owner));
  }

  private static Optional<ProposedRule> signal(AuditRecord r) {
    Optional<String> mask = r.field("denied_mask").filter(RuleProposer::isWords);
    Optional<String> sig = r.field("signal").filter(RuleProposer::isWord);
    Optional<String> peer = r.field("peer").filter(p -> !p.isEmpty());
    if (mask.isEmpty() || sig.isEmpty() || peer.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ProposedRule.Other("signal " + perms(mask.get()) + " set=" + sig.get()
        + " peer=" + label(peer.get()) + ","));
  }

  private static Optional<ProposedRule> unix(AuditRecord r) {
    Optional<String> denied = r.firstOf("denied_mask", "denied").filter(RuleProposer::isWords);
    Optional<String> type = r.field("sock_type").filter(RuleProposer::isWord);
    if (denied.isEmpty() || type.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder b = new StringBuilder("unix (")
        .append(String.join(", ", new TreeSet<>(Arrays.asList(denied.get().split(" ")))))
        .append(") type=").append(type.get());
    Optional<String> addr = r.field("addr").filter(a -> !a.equals("none"));
    Optional<String> peerAddr = r.field("peer_addr").filter(a -> !a.equals("none"));
    if (addr.filter(RuleProposer::isPlain).isPresent()) {
      b.append(" addr=").append(addr.get());
    }
    if (peerAddr.filter(RuleProposer::isPlain).isPresent()) {
      b.append(" peer=(addr=").append(peerAddr.get()).append(')');
    }
    return Optional.of(new ProposedRule.Other(b.append(',').toString()));
  }

  /** One permission as a word, several in parentheses, sorted: {@code (receive, send)}. */
  private static String perms(String mask) {
    TreeSet<String> set = new TreeSet<>(Arrays.asList(mask.trim().split("\\s+")));
    return set.size() == 1 ? set.first() : "(" + String.join(", ", set) + ")";
  }

  /** A peer label as a rule writes it, quoted when it holds white space. */
  private static String label(String peer) {
    return peer.chars().anyMatch(Character::isWhitespace) ? "\"" + peer + "\"" : peer;
  }

  private static boolean isWord(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
  }

  private static boolean isWords(String s) {
    return !s.isBlank() && Arrays.stream(s.trim().split("\\s+")).allMatch(RuleProposer::isWord);
  }

  private static boolean isPlain(String s) {
    return !s.isEmpty() && s.chars().noneMatch(c -> Character.isWhitespace(c) || c == ','
        || c == '(' || c == ')' || c == '"' || c == '#' || c == '{' || c == '}');
  }
}
