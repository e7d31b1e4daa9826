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
  private final ScanBatch batch = new ScanBatch();

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
   * it asks for; or why it could not be read. The guest's entry is looked up once, at the first
   * event counted.
   */
  private static final class Outcome {
    final Uuid guest;
    final ProposedRule rule;
    final String unparsed;
    Gathered gathered;
    /** Whether the rule is in its guest's merged rule: adding the same rule again changes nothing. */
    boolean merged;

    Outcome(Uuid guest, ProposedRule rule, String unparsed) {
      this.guest = guest;
      this.rule = rule;
      this.unparsed = unparsed;
    }
  }

  Tally(RecordParser parser, Set<Uuid> onlyGuests, OptionalLong sinceMillis) {
    this.parser = parser;
    this.onlyGuests = onlyGuests;
    this.sinceMillis = sinceMillis;
  }

  /** Reads every line of {@code in} as bytes. */
  void read(String source, InputStream in, int bufferSize) throws IOException {
    LogBuffers.read(in, bufferSize, (b, from, len, eof) -> {
      batch.clear();
      int taken = scan.scan(b, from, len, eof, batch);
      lines = scan.lines;
      skipped += scan.others;
      scan.others = 0;
      resolve(source, b);
      return taken;
    });
  }

  /** Reads one line with {@link RecordParser} alone. */
  void parse(String source, String line) {
    countParsed(source, parser.parse(line), lines);
  }

  /** Counts the batch's lines in their order: records through the memo, the rest parsed. */
  private void resolve(String source, byte[] b) {
    outcomes.warm(batch);
    for (int k = 0; k < batch.size(); k++) {
      int from = batch.lineFrom(k);
      int end = batch.end(k);
      if (!batch.isRecord(k)) {
        countParsed(source, parser.parse(text(b, from, end)), batch.line(k));
        continue;
      }
      int key = batch.keyFrom(k);
      int hash = batch.hash(k);
      Outcome o = outcomes.get(b, key, end - key, hash);
      if (o == null) {
        o = outcome(parser.parse(text(b, from, end)));
        outcomes.put(b, key, end - key, hash, o);
      }
      count(source, o, batch.line(k), batch.millis(k), true);
    }
  }

  private static String text(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  /** Counts a line parsed by itself, at its own time. */
  private void countParsed(String source, ParseResult result, long line) {
    OptionalLong when = result instanceof ParseResult.Parsed p
        ? p.record().epochMillis() : OptionalLong.empty();
    count(source, outcome(result), line, when.orElse(0), when.isPresent());
  }

  /** The outcome of one parsed line; its time is not part of it. */
  private Outcome outcome(ParseResult result) {
    if (result instanceof ParseResult.Unparsed u) {
      return new Outcome(null, null, u.reason());
    }
    if (!(result instanceof ParseResult.Parsed p)) {
      return new Outcome(null, null, null);
    }
    AuditRecord r = p.record();
    Optional<Uuid> guest = r.profile().flatMap(Tally::guestOf);
    if (guest.isEmpty() || !r.verdict().wantsRule()
        || (!onlyGuests.isEmpty() && !onlyGuests.contains(guest.get()))) {
      return new Outcome(null, null, null);
    }
    return new Outcome(guest.get(), proposer.propose(r).orElse(null), null);
  }

  /** Counts one line's outcome; {@code timed} when the line has a time, {@code millis}. */
  private void count(String source, Outcome o, long line, long millis, boolean timed) {
    if (o.unparsed != null) {
      unparsed++;
      if (samples.size() < Learner.UNPARSED_SAMPLES) {
        samples.add(new Sample(source, line, o.unparsed));
      }
      return;
    }
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
