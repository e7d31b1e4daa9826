package io.svirtctl.learn;

import io.svirtctl.Uuid;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a log line means to learn, read with {@link RecordParser} and {@link RuleProposer}:
 * whose access it is and the rule it asks for, or why it cannot be read. The readers of one
 * log share what they made of each record key ({@link RecordScan}), so a record that shows up
 * in several parts of a log read on several threads is parsed about once; at most {@link
 * #SHARED} keys are kept, so memory stays flat.
 */
final class Meanings {

  private static final int SHARED = RecordKeys.MAX_ENTRIES;

  /**
   * One line's meaning. {@code guest} is null when it is none in scope (another profile, not
   * an access, a guest left out by {@code --guest}); {@code unparsed} says why a line that
   * looks like a record cannot be read, else it is null.
   */
  record Meaning(Uuid guest, ProposedRule rule, String unparsed) {
    static final Meaning NONE = new Meaning(null, null, null);
  }

  /** A line's meaning and its time, when it has one. */
  record Timed(Meaning meaning, OptionalLong epochMillis) {}

  private static final String PREFIX = "libvirt-";

  private final RecordParser parser;
  private final RuleProposer proposer = new RuleProposer();
  private final Set<Uuid> onlyGuests;
  private final ConcurrentHashMap<String, Meaning> byKey = new ConcurrentHashMap<>(1 << 12);

  Meanings(RecordParser parser, Set<Uuid> onlyGuests) {
    this.parser = parser;
    this.onlyGuests = onlyGuests;
  }

  /** What a line of text means, and its time. */
  Timed of(String line) {
    ParseResult result = parser.parse(line);
    OptionalLong when = result instanceof ParseResult.Parsed p
        ? p.record().epochMillis() : OptionalLong.empty();
    return new Timed(meaning(result), when);
  }

  /**
   * What the record {@code b[lineFrom, end)}, whose key is {@code b[keyFrom, end)}, means; the
   * same for every record with that key.
   */
  Meaning ofRecord(byte[] b, int lineFrom, int keyFrom, int end) {
    String key = new String(b, keyFrom, end - keyFrom, StandardCharsets.ISO_8859_1);
    Meaning m = byKey.get(key);
    if (m == null) {
      m = meaning(parser.parse(new String(b, lineFrom, end - lineFrom, StandardCharsets.UTF_8)));
      if (byKey.size() < SHARED) {
        byKey.putIfAbsent(key, m);
      }
    }
    return m;
  }

  private Meaning meaning(ParseResult result) {
    if (result instanceof ParseResult.Unparsed u) {
      return new Meaning(null, null, u.reason());
    }
    if (!(result instanceof ParseResult.Parsed p)) {
      return Meaning.NONE;
    }
    AuditRecord r = p.record();
    Optional<Uuid> guest = r.profile().flatMap(Meanings::guestOf);
    if (guest.isEmpty() || !r.verdict().wantsRule()
        || (!onlyGuests.isEmpty() && !onlyGuests.contains(guest.get()))) {
      return Meaning.NONE;
    }
    return new Meaning(guest.get(), proposer.propose(r).orElse(null), null);
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
