package io.svirtctl.learn;

import io.svirtctl.Uuid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Lines are read as bytes: {@link RecordScan} tells other subsystems' lines from records and
 * gives each record a signature of the fields {@link RecordParser} keeps; the first record of a
 * signature is parsed and its outcome (guest, rule) kept in a {@link RecordCache}, so a record
 * seen again costs a scan and a look-up. Lines the scan cannot vouch for are parsed one by one.
 * Either way the result is what {@link RecordParser} makes of every line ({@code
 * LearnerBytesTest} compares the two).
 */
public final class Learner {

  /** How many unparsed lines are reported by place; all of them are counted. */
  public static final int UNPARSED_SAMPLES = 5;

  private static final String PREFIX = "libvirt-";
  private static final int BUFFER = 1 << 20;

  private final RecordParser parser;
  private final RuleProposer proposer = new RuleProposer();
  private final Set<Uuid> onlyGuests;
  private final OptionalLong sinceMillis;
  private final int bufferSize;
  private final RecordScan scan = new RecordScan();
  private final RecordCache<Outcome> outcomes = new RecordCache<>();

  private final Map<Uuid, Gathered> guests = new HashMap<>();
  private final List<String> sources = new ArrayList<>();
  private final List<String> unparsedSamples = new ArrayList<>();
  private long used;
  private long skipped;
  private long unparsed;

  /** Per guest: events seen and rules by key, in the order first seen. */
  private static final class Gathered {
    long events;
    final Map<String, Merged> rules = new LinkedHashMap<>();
  }

  /** One rule of a guest as its events so far ask for it. */
  private static final class Merged {
    ProposedRule first;
    String perms = "";
    boolean exec;
    boolean owner = true;

    void add(ProposedRule rule) {
      if (first == null) {
        first = rule;
      }
      if (rule instanceof ProposedRule.FileAccess f) {
        if (!contains(perms, f.perms())) {
          perms = new ProposedRule.FileAccess(f.path(), perms + f.perms(), false, false).perms();
        }
        exec |= f.exec();
        owner &= f.owner();
      }
    }

    private static boolean contains(String have, String want) {
      for (int i = 0; i < want.length(); i++) {
        if (have.indexOf(want.charAt(i)) < 0) {
          return false;
        }
      }
      return true;
    }

    ProposedRule rule() {
      return first instanceof ProposedRule.FileAccess f
          ? new ProposedRule.FileAccess(f.path(), perms, exec, owner) : first;
    }
  }

  /**
   * What one record means for the report: the guest whose access it is (null when it is none
   * in scope: another profile, not an access, a guest left out by {@code --guest}) and the rule
   * it asks for. The guest's and rule's entries are looked up once, at the first event counted.
   */
  private static final class Outcome {
    final Uuid guest;
    final ProposedRule rule;
    Gathered gathered;
    /** Whether the rule is in its guest's merged rule: adding the same rule again changes nothing. */
    boolean merged;

    Outcome(Uuid guest, ProposedRule rule) {
      this.guest = guest;
      this.rule = rule;
    }
  }

  /**
   * @param onlyGuests the guests to learn for; empty means every guest
   * @param sinceMillis events before this time are skipped; records without a time are kept
   */
  public Learner(RecordParser parser, Set<Uuid> onlyGuests, OptionalLong sinceMillis) {
    this(parser, onlyGuests, sinceMillis, BUFFER);
  }

  Learner(RecordParser parser, Set<Uuid> onlyGuests, OptionalLong sinceMillis, int bufferSize) {
    this.parser = parser;
    this.onlyGuests = Set.copyOf(onlyGuests);
    this.sinceMillis = sinceMillis;
    this.bufferSize = bufferSize;
  }

  /** Reads every line of one log (UTF-8 bytes); {@code source} names it in the report. */
  public void read(String source, InputStream in) throws IOException {
    sources.add(source);
    long[] lineNo = {0};
    LogLines.read(in, bufferSize, (b, from, to) -> {
      lineNo[0]++;
      switch (scan.scan(b, from, to)) {
        case NOT_APPARMOR -> skipped++;
        case ASK_PARSER -> parse(source, lineNo[0], new String(b, from, to - from,
            StandardCharsets.UTF_8));
        case RECORD -> record(source, lineNo[0], b, from, to);
      }
    });
  }

  /**
   * Reads every line of one log through {@link RecordParser} alone: what {@link #read(String,
   * InputStream)} must agree with.
   */
  void readEachLine(String source, BufferedReader in) throws IOException {
    sources.add(source);
    long lineNo = 0;
    String line;
    while ((line = in.readLine()) != null) {
      parse(source, ++lineNo, line);
    }
  }

  private void record(String source, long lineNo, byte[] b, int from, int to) {
    byte[] sig = scan.signature();
    int length = scan.signatureLength();
    int hash = scan.signatureHash();
    Outcome o = outcomes.get(sig, length, hash);
    if (o == null) {
      ParseResult result = parser.parse(new String(b, from, to - from, StandardCharsets.UTF_8));
      if (!(result instanceof ParseResult.Parsed p)) {
        count(source, lineNo, result);
        return;
      }
      o = outcome(p.record());
      outcomes.put(sig, length, hash, o);
    }
    count(o, true, scan.millis());
  }

  private void parse(String source, long lineNo, String line) {
    count(source, lineNo, parser.parse(line));
  }

  private void count(String source, long lineNo, ParseResult result) {
    if (result instanceof ParseResult.Parsed p) {
      AuditRecord r = p.record();
      count(outcome(r), r.epochMillis().isPresent(), r.epochMillis().orElse(0));
    } else if (result instanceof ParseResult.Unparsed u) {
      unparsed++;
      if (unparsedSamples.size() < UNPARSED_SAMPLES) {
        unparsedSamples.add(source + ":" + lineNo + ": " + u.reason());
      }
    } else {
      skipped++;
    }
  }

  private Outcome outcome(AuditRecord r) {
    Optional<Uuid> guest = r.profile().flatMap(Learner::guestOf);
    if (guest.isEmpty() || !r.verdict().wantsRule()
        || (!onlyGuests.isEmpty() && !onlyGuests.contains(guest.get()))) {
      return new Outcome(null, null);
    }
    return new Outcome(guest.get(), proposer.propose(r).orElse(null));
  }

  private void count(Outcome o, boolean timed, long millis) {
    if (o.guest == null
        || (timed && sinceMillis.isPresent() && millis < sinceMillis.getAsLong())) {
      skipped++;
      return;
    }
    used++;
    if (o.gathered == null) {
      o.gathered = guests.computeIfAbsent(o.guest, k -> new Gathered());
    }
    o.gathered.events++;
    if (o.rule != null && !o.merged) {
      o.gathered.rules.computeIfAbsent(o.rule.key(), k -> new Merged()).add(o.rule);
      o.merged = true;
    }
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
      for (Merged m : e.getValue().rules.values()) {
        ProposedRule rule = m.rule();
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
