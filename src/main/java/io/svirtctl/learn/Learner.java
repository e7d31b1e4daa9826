package io.svirtctl.learn;

import io.svirtctl.Uuid;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads logs line by line and gathers, per guest, the rules its events ask for. Memory grows with
 * the number of distinct rules, never with the size of the logs.
 */
public final class Learner {

  /** How many unparsed lines are reported by place; all of them are counted. */
  public static final int UNPARSED_SAMPLES = 5;

  private static final String PREFIX = "libvirt-";

  private final RecordParser parser;
  private final RuleProposer proposer = new RuleProposer();
  private final Set<Uuid> onlyGuests;
  private final OptionalLong sinceMillis;

  private final Map<Uuid, Gathered> guests = new HashMap<>();
  private final List<String> sources = new ArrayList<>();
  private final List<String> unparsedSamples = new ArrayList<>();
  private long used;
  private long skipped;
  private long unparsed;

  /** Per guest: events seen and rules by key, in the order first seen. */
  private static final class Gathered {
    long events;
    final Map<String, ProposedRule> rules = new LinkedHashMap<>();
  }

  /**
   * @param onlyGuests the guests to learn for; empty means every guest
   * @param sinceMillis events before this time are skipped; records without a time are kept
   */
  public Learner(RecordParser parser, Set<Uuid> onlyGuests, OptionalLong sinceMillis) {
    this.parser = parser;
    this.onlyGuests = Set.copyOf(onlyGuests);
    this.sinceMillis = sinceMillis;
  }

  /** Reads every line of one log; {@code source} names it in the report. */
  public void read(String source, BufferedReader in) throws IOException {
    sources.add(source);
    long lineNo = 0;
    String line;
    while ((line = in.readLine()) != null) {
      lineNo++;
      ParseResult result = parser.parse(line);
      if (result instanceof ParseResult.Parsed p) {
        accept(p.record());
      } else if (result instanceof ParseResult.Unparsed u) {
        unparsed++;
        if (unparsedSamples.size() < UNPARSED_SAMPLES) {
          unparsedSamples.add(source + ":" + lineNo + ": " + u.reason());
        }
      } else {
        skipped++;
      }
    }
  }

  private void accept(AuditRecord r) {
    Optional<Uuid> guest = r.profile().flatMap(Learner::guestOf);
    if (guest.isEmpty() || !r.verdict().wantsRule()
        || (!onlyGuests.isEmpty() && !onlyGuests.contains(guest.get()))
        || (sinceMillis.isPresent() && r.epochMillis().isPresent()
            && r.epochMillis().getAsLong() < sinceMillis.getAsLong())) {
      skipped++;
      return;
    }
    used++;
    Gathered g = guests.computeIfAbsent(guest.get(), k -> new Gathered());
    g.events++;
    proposer.propose(r).ifPresent(rule -> g.rules.merge(rule.key(), rule, Learner::merge));
  }

  private static ProposedRule merge(ProposedRule a, ProposedRule b) {
    if (a instanceof ProposedRule.FileAccess fa && b instanceof ProposedRule.FileAccess fb) {
      return fa.merge(fb);
    }
    return a;
  }

  /** The guest a profile name belongs to: {@code libvirt-<uuid>} or one of its children. */
  static Optional<Uuid> guestOf(String profile) {
    if (!profile.startsWith(PREFIX) || profile.length() < PREFIX.length() + 36) {
      return Optional.empty();
    }
    int end = PREFIX.length() + 36;
    if (profile.length() > end && !profile.startsWith("//", end)) {
      return Optional.empty();
    }
    return Uuid.parse(profile.substring(PREFIX.length(), end));
  }

  /**
   * What was learned: per guest, the proposed rules that {@code declared} does not allow yet
   * and that it does not refuse.
   */
  public LearnReport report(Declared declared) {
    List<LearnedGuest> out = new ArrayList<>();
    for (Map.Entry<Uuid, Gathered> e : guests.entrySet()) {
      Optional<String> name = declared.name(e.getKey());
      DeclaredRules have = declared.rules(e.getKey(), name);
      List<String> rules = new ArrayList<>();
      List<String> refused = new ArrayList<>();
      int allowed = 0;
      for (ProposedRule rule : e.getValue().rules.values()) {
        Optional<String> refusal = declared.refusal(rule.text());
        if (refusal.isPresent()) {
          refused.add(rule.text() + " (" + refusal.get() + ")");
        } else if (have.allows(rule)) {
          allowed++;
        } else {
          rules.add(rule.text());
        }
      }
      out.add(new LearnedGuest(e.getKey(), name, e.getValue().events, rules, allowed, refused));
    }
    out.sort(Comparator.comparing(LearnedGuest::key).thenComparing(LearnedGuest::uuid));
    return new LearnReport(out, used, skipped, unparsed, unparsedSamples, sources);
  }

  /** What the declared state says about a guest. */
  public interface Declared {
    /** The guest's domain name, when the host defines it. */
    Optional<String> name(Uuid uuid);

    /** Everything the guest is declared to be allowed. */
    DeclaredRules rules(Uuid uuid, Optional<String> name);

    /** Why a rule cannot be proposed (the policy or the rule check refuses it), or empty. */
    Optional<String> refusal(String rule);
  }
}
