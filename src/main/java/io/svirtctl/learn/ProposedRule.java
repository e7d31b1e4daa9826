package io.svirtctl.learn;

import java.util.Objects;

/** A rule learned from events, before it is written as text. */
public sealed interface ProposedRule permits ProposedRule.FileAccess, ProposedRule.Other {

  /** Rules with the same key merge into one (one file rule per path). */
  String key();

  /** The rule as a profile line, ending in {@code ,}. */
  String text();

  /**
   * Access to a path: {@code [owner] PATH PERMS,} with permissions in the order AppArmor's tools
   * write them ({@code m r w a l k}, then an {@code ix} transition for executions).
   *
   * @param perms the permissions among {@code mrwalk}, without duplicates
   * @param exec whether the path was executed (proposed as {@code ix}, inheriting the profile)
   * @param owner whether every access was by the file's owner
   */
  record FileAccess(String path, String perms, boolean exec, boolean owner) implements ProposedRule {

    private static final String ORDER = "mrwalk";

    public FileAccess {
      Objects.requireNonNull(path, "path");
      StringBuilder b = new StringBuilder();
      for (char c : ORDER.toCharArray()) {
        if (perms.indexOf(c) >= 0) {
          b.append(c);
        }
      }
      if (b.indexOf("w") >= 0 && b.indexOf("a") >= 0) {
        // w includes a; apparmor_parser refuses the two together.
        b.deleteCharAt(b.indexOf("a"));
      }
      perms = b.toString();
    }

    @Override
    public String key() {
      return "file " + path;
    }

    @Override
    public String text() {
      return (owner ? "owner " : "") + RuleText.path(path) + " " + perms + (exec ? "ix" : "") + ",";
    }

    /** The union of two accesses to the same path; owner only when both were. */
    public FileAccess merge(FileAccess o) {
      return new FileAccess(path, perms + o.perms, exec || o.exec, owner && o.owner);
    }
  }

  /** Any other rule (capability, network, signal, ptrace, unix): merged when identical. */
  record Other(String text) implements ProposedRule {
    public Other {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String key() {
      return text;
    }
  }
}
