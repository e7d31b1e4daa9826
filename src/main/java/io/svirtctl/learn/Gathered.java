package io.svirtctl.learn;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one guest's events add up to: how many were counted, its rules in the order first seen. */
final class Gathered {

  long events;
  final Map<String, Merged> rules = new LinkedHashMap<>();

  /** Adds a rule an event asks for. */
  void add(ProposedRule rule) {
    rules.computeIfAbsent(rule.key(), k -> new Merged()).add(rule);
  }

  /** Adds what another reader gathered for the same guest, read after this. */
  void add(Gathered other) {
    events += other.events;
    other.rules.forEach((key, m) -> rules.computeIfAbsent(key, k -> new Merged()).add(m));
  }

  /** One rule of a guest as its events so far ask for it: file permissions add up. */
  static final class Merged {
    private ProposedRule first;
    private String perms = "";
    private boolean exec;
    private boolean owner = true;

    void add(ProposedRule rule) {
      if (first == null) {
        first = rule;
      }
      if (rule instanceof ProposedRule.FileAccess f) {
        addPerms(f.path(), f.perms());
        exec |= f.exec();
        owner &= f.owner();
      }
    }

    void add(Merged other) {
      if (first == null) {
        first = other.first;
      }
      if (first instanceof ProposedRule.FileAccess f) {
        addPerms(f.path(), other.perms);
      }
      exec |= other.exec;
      owner &= other.owner;
    }

    private void addPerms(String path, String more) {
      for (int i = 0; i < more.length(); i++) {
        if (perms.indexOf(more.charAt(i)) < 0) {
          perms = new ProposedRule.FileAccess(path, perms + more, false, false).perms();
          return;
        }
      }
    }

    ProposedRule rule() {
      if (first instanceof ProposedRule.FileAccess f
          && !(f.perms().equals(perms) && f.exec() == exec && f.owner() == owner)) {
        return new ProposedRule.FileAccess(f.path(), perms, exec, owner);
      }
      return first; // one access, or accesses that all asked the same
    }
  }
}
