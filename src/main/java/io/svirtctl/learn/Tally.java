package io.svirtctl.learn;

import io.svirtctl.Uuid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one reader gathered from the lines it read: per guest the events and merged rules, the
 * record counts and the first unparsed lines. A log read in parts on several threads has one
 * tally per part, added up in the parts' order, which gives what one reader would have.
 *
 * <p>Lines are read as bytes: {@link RecordScan} tells other subsystems' lines from records and
 * gives each record a signature of the fields {@link RecordParser} keeps; the first record of a
 * signature is parsed and its outcome (guest, rule) kept in a {@link RecordCache}, so a record
 * seen again costs a scan and a look-up. Lines the scan cannot vouch for are parsed one by one.
 */
final class Tally {

  private static final String PREFIX = "libvirt-";

  private final RecordParser parser;
  private final RuleProposer proposer = new RuleProposer();
  private final Set<Uuid> onlyGuests;
  private final OptionalLong sinceMillis;
  private final RecordScan scan = new RecordScan();
  private final RecordCache<Outcome> outcomes = new RecordCache<>();

  final Map<Uuid, Gathered> guests = new HashMap<>();
  /** The first unparsed lines: source, line number within what this tally read, reason. */
  final List<Sample> samples = new ArrayList<>();
  long used;
  long skipped;
  long unparsed;
  /** Lines read. */
  long lines;

  record Sample(String source, long line, String reason) {}

  /** Per guest: events seen and rules by key, in the order first seen. */
  static final class Gathered {
    long events;
    final Map<String, Merged> rules = new LinkedHashMap<>();
  }

  /** One rule of a guest as its events so far ask for it. */
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
      return first instanceof ProposedRule.FileAccess f
          ? new ProposedRule.FileAccess(f.path(), perms, exec, owner) : first;
    }
  }

  /**
   * What one record means for the report: the guest whose access it is (null when it is none
   * in scope: another profile, not an access, a guest left out by {@code --guest}) and the rule
   * it asks for. The guest's entry is looked up once, at the first event counted.
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

  Tally(RecordParser parser, Set<Uuid> onlyGuests, OptionalLong sinceMillis) {
    this.parser = parser;
    this.onlyGuests = onlyGuests;
    this.sinceMillis = sinceMillis;
  }

  /** Reads every line of {@code in} as bytes. */
  void read(String source, InputStream in, int bufferSize) throws IOException {
    LogLines.read(in, bufferSize, (b, from, to) -> {
      lines++;
      switch (scan.scan(b, from, to)) {
        case NOT_APPARMOR -> skipped++;
        case ASK_PARSER -> parse(source, new String(b, from, to - from, StandardCharsets.UTF_8));
        case RECORD -> record(source, b, from, to);
      }
    });
  }

  /** Reads one line with {@link RecordParser} alone. */
  void parse(String source, String line) {
    count(source, parser.parse(line));
  }

  private void record(String source, byte[] b, int from, int to) {
    byte[] sig = scan.signature();
    int length = scan.signatureLength();
    int hash = scan.signatureHash();
    Outcome o = outcomes.get(sig, length, hash);
    if (o == null) {
      ParseResult result = parser.parse(new String(b, from, to - from, StandardCharsets.UTF_8));
      if (!(result instanceof ParseResult.Parsed p)) {
        count(source, result);
        return;
      }
      o = outcome(p.record());
      outcomes.put(sig, length, hash, o);
    }
    count(o, true, scan.millis());
  }

  private void count(String source, ParseResult result) {
    if (result instanceof ParseResult.Parsed p) {
      AuditRecord r = p.record();
      count(outcome(r), r.epochMillis().isPresent(), r.epochMillis().orElse(0));
    } else if (result instanceof ParseResult.Unparsed u) {
      unparsed++;
      if (samples.size() < Learner.UNPARSED_SAMPLES) {
        samples.add(new Sample(source, lines, u.reason()));
      }
    } else {
      skipped++;
    }
  }

  private Outcome outcome(AuditRecord r) {
    Optional<Uuid> guest = r.profile().flatMap(Tally::guestOf);
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

  /**
   * Adds {@code part}, read after everything this tally holds; its line numbers count from
   * {@code firstLine}.
   */
  void add(Tally part, long firstLine) {
    used += part.used;
    skipped += part.skipped;
    unparsed += part.unparsed;
    for (Sample s : part.samples) {
      if (samples.size() < Learner.UNPARSED_SAMPLES) {
        samples.add(new Sample(s.source(), firstLine + s.line(), s.reason()));
      }
    }
    for (Map.Entry<Uuid, Gathered> e : part.guests.entrySet()) {
      Gathered g = guests.computeIfAbsent(e.getKey(), k -> new Gathered());
      g.events += e.getValue().events;
      e.getValue().rules.forEach((key, m) -> g.rules.computeIfAbsent(key, k -> new Merged()).add(m));
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
}
