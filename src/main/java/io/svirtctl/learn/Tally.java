package io.svirtctl.learn;

import io.svirtctl.Uuid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one reader gathered from the lines it read: per guest the events and merged rules, the
 * record counts and the first unparsed lines. A log read in parts on several threads has one
 * tally per part, added up in the parts' order, which gives what one reader would have.
 *
 * <p>Lines are read as bytes: {@link RecordScan} tells other subsystems' lines from records and
 * gives each record a key; the first record of a key is parsed ({@link Meanings}) and its
 * meaning kept by the key's id ({@link RecordKeys}), so a record seen again costs a scan and a
 * look-up, and once it has been counted, adding one to a count kept by id. Lines the scan
 * cannot vouch for are parsed one by one.
 */
final class Tally {

  private final Meanings meanings;
  private final OptionalLong sinceMillis;
  private final RecordScan scan = new RecordScan();
  private final ScanBatch batch = new ScanBatch();
  private final RecordKeys keys = new RecordKeys();
  /** By key id: what the record means to this reader. */
  private Seen[] known = new Seen[1024];
  /** By key id: sightings not added to the counts yet ({@link #settle}). */
  private long[] hits = new long[1024];
  /**
   * By key id: whether a sighting only adds to {@link #hits}: the record was counted once, and
   * counting it again takes no sample and merges no rule.
   */
  private boolean[] settled = new boolean[1024];

  final Map<Uuid, Gathered> guests = new HashMap<>();
  /** The first unparsed lines: source, line number within what this tally read, reason. */
  final List<Sample> samples = new ArrayList<>();
  long used;
  long skipped;
  long unparsed;
  /** Lines read. */
  long lines;

  record Sample(String source, long line, String reason) {}

  /** A meaning as this reader counts it: its guest's entry, and whether its rule is merged. */
  private static final class Seen {
    final Meanings.Meaning meaning;
    Gathered gathered;
    boolean merged;

    Seen(Meanings.Meaning meaning) {
      this.meaning = meaning;
    }

    /** Whether counting it again only adds one. */
    boolean settled() {
      return meaning.unparsed() == null && (meaning.guest() == null
          || (gathered != null && (meaning.rule() == null || merged)));
    }
  }

  Tally(Meanings meanings, OptionalLong sinceMillis) {
    this.meanings = meanings;
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
    settle();
  }

  /** Reads one line with {@link RecordParser} alone. */
  void parse(String source, String line) {
    countTimed(source, meanings.of(line), lines);
  }

  /** Counts the batch's lines in their order: records through their keys, the rest parsed. */
  private void resolve(String source, byte[] b) {
    keys.warm(batch);
    long since = sinceMillis.orElse(Long.MIN_VALUE);
    for (int k = 0; k < batch.size(); k++) {
      int from = batch.lineFrom(k);
      int end = batch.end(k);
      if (!batch.isRecord(k)) {
        countTimed(source, meanings.of(new String(b, from, end - from, StandardCharsets.UTF_8)),
            batch.line(k));
        continue;
      }
      int key = batch.keyFrom(k);
      int length = end - key;
      long millis = batch.millis(k);
      int id = keys.find(b, key, length, batch.hash(k));
      if (id < 0) {
        Seen seen = new Seen(meanings.ofRecord(b, from, key, end));
        if (!RecordKeys.keeps(length)) {
          count(source, seen, batch.line(k), millis, true);
          continue;
        }
        id = add(b, key, length, batch.hash(k), seen);
      } else if (settled[id] && millis >= since) {
        hits[id]++;
        continue;
      }
      Seen seen = known[id];
      count(source, seen, batch.line(k), millis, true);
      settled[id] = seen.settled();
    }
  }

  /** Keeps {@code seen} for a new key and returns the key's id. */
  private int add(byte[] b, int key, int length, int hash, Seen seen) {
    if (keys.full(length)) {
      settle();
      keys.clear();
    }
    int id = keys.add(b, key, length, hash);
    if (id == known.length) {
      int n = Math.min(RecordKeys.MAX_ENTRIES, id * 2);
      known = Arrays.copyOf(known, n);
      hits = Arrays.copyOf(hits, n);
      settled = Arrays.copyOf(settled, n);
    }
    known[id] = seen;
    hits[id] = 0;
    settled[id] = false;
    return id;
  }

  /** Adds the sightings kept by key id to the counts. */
  private void settle() {
    for (int id = 0; id < keys.size(); id++) {
      long n = hits[id];
      if (n == 0) {
        continue;
      }
      Seen seen = known[id];
      if (seen.meaning.guest() == null) {
        skipped += n;
      } else {
        used += n;
        seen.gathered.events += n;
      }
      hits[id] = 0;
    }
  }

  /** Counts a line parsed by itself, at its own time. */
  private void countTimed(String source, Meanings.Timed t, long line) {
    OptionalLong when = t.epochMillis();
    count(source, new Seen(t.meaning()), line, when.orElse(0), when.isPresent());
  }

  /** Counts one line; {@code timed} when the line has a time, {@code millis}. */
  private void count(String source, Seen seen, long line, long millis, boolean timed) {
    Meanings.Meaning m = seen.meaning;
    if (m.unparsed() != null) {
      unparsed++;
      if (samples.size() < Learner.UNPARSED_SAMPLES) {
        samples.add(new Sample(source, line, m.unparsed()));
      }
      return;
    }
    if (m.guest() == null
        || (timed && sinceMillis.isPresent() && millis < sinceMillis.getAsLong())) {
      skipped++;
      return;
    }
    used++;
    if (seen.gathered == null) {
      seen.gathered = guests.computeIfAbsent(m.guest(), k -> new Gathered());
    }
    seen.gathered.events++;
    if (m.rule() != null && !seen.merged) {
      seen.gathered.add(m.rule());
      seen.merged = true;
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
    part.guests.forEach((uuid, g) -> guests.computeIfAbsent(uuid, k -> new Gathered()).add(g));
  }
}
