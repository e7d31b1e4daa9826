package io.svirtctl.learn;

import io.svirtctl.Uuid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads logs and gathers, per guest, the rules its events ask for. Memory grows with the number
 * of distinct rules, never with the size of the logs. A large plain log file is read in parts,
 * one thread per processor, each part starting at a line; the parts' tallies are added up in
 * order, so the report is the one reading the file from start to end gives ({@code
 * LearnerBytesTest} compares both with parsing every line by itself).
 */
public final class Learner {

  /** How many unparsed lines are reported by place; all of them are counted. */
  public static final int UNPARSED_SAMPLES = 5;

  private static final int BUFFER = 1 << 18;
  /** A file is read in as many parts as it has this many bytes, at most one per thread. */
  private static final long PART_MIN = 32L << 20;

  private final Meanings meanings;
  private final OptionalLong sinceMillis;
  private final int bufferSize;
  private final int threads;
  private final long partMin;
  private final List<String> sources = new ArrayList<>();
  private final Tally total;

  /**
   * @param onlyGuests the guests to learn for; empty means every guest
   * @param sinceMillis events before this time are skipped; records without a time are kept
   */
  public Learner(RecordParser parser, Set<Uuid> onlyGuests, OptionalLong sinceMillis) {
    this(parser, onlyGuests, sinceMillis, BUFFER, Runtime.getRuntime().availableProcessors(),
        PART_MIN);
  }

  Learner(RecordParser parser, Set<Uuid> onlyGuests, OptionalLong sinceMillis, int bufferSize,
      int threads, long partMin) {
    this.meanings = new Meanings(parser, Set.copyOf(onlyGuests));
    this.sinceMillis = sinceMillis;
    this.bufferSize = bufferSize;
    this.threads = Math.max(1, threads);
    this.partMin = Math.max(1, partMin);
    this.total = tally();
  }

  private Tally tally() {
    return new Tally(meanings, sinceMillis);
  }

  /** Reads every line of one log (UTF-8 bytes); {@code source} names it in the report. */
  public void read(String source, InputStream in) throws IOException {
    sources.add(source);
    Tally part = tally();
    part.read(source, in, bufferSize);
    total.add(part, 0);
  }

  /** Reads every line of a plain (not compressed) log file, in parts when it is large. */
  public void read(String source, Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      int n = (int) Math.max(1, Math.min(threads, size / partMin));
      if (n == 1) {
        read(source, Channels.newInputStream(ch));
        return;
      }
      sources.add(source);
      long[] starts = starts(ch, size, n);
      Tally[] parts = new Tally[starts.length - 1];
      Thread[] workers = new Thread[parts.length];
      Throwable[] failed = new Throwable[parts.length];
      for (int k = 0; k < parts.length; k++) {
        int part = k;
        parts[k] = tally();
        workers[k] = new Thread(() -> {
          try {
            parts[part].read(source, new Slice(ch, starts[part], starts[part + 1]), bufferSize);
          } catch (IOException | RuntimeException e) {
            failed[part] = e;
          }
        }, "learn-" + k);
        workers[k].start();
      }
      long firstLine = 0;
      for (int k = 0; k < parts.length; k++) {
        join(workers[k]);
        if (failed[k] instanceof IOException e) {
          throw e;
        } else if (failed[k] instanceof RuntimeException e) {
          throw e;
        }
        total.add(parts[k], firstLine);
        firstLine += parts[k].lines;
      }
    }
  }

  private static void join(Thread t) throws IOException {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Where each of about {@code n} parts starts: 0, then just after the first {@code \n} at or
   * past each {@code k * size / n}, and {@code size} at the end. A {@code \n} always ends a
   * line, so every part starts at a line.
   */
  private static long[] starts(FileChannel ch, long size, int n) throws IOException {
    List<Long> out = new ArrayList<>(List.of(0L));
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    for (int k = 1; k < n; k++) {
      long at = Math.max(out.get(out.size() - 1), k * size / n);
      long start = size;
      scan:
      while (at < size) {
        buf.clear();
        int r = ch.read(buf, at);
        if (r <= 0) {
          break;
        }
        for (int i = 0; i < r; i++) {
          if (buf.get(i) == '\n') {
            start = at + i + 1;
            break scan;
          }
        }
        at += r;
      }
      if (start < size && start > out.get(out.size() - 1)) {
        out.add(start);
      }
    }
    out.add(size);
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** The bytes {@code [from, to)} of a file, read with positional reads (threads share it). */
  private static final class Slice extends InputStream {
    private final FileChannel ch;
    private long at;
    private final long end;

    Slice(FileChannel ch, long from, long to) {
      this.ch = ch;
      this.at = from;
      this.end = to;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (at >= end) {
        return -1;
      }
      int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - at)), at);
      if (n > 0) {
        at += n;
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  /**
   * Reads every line of one log through {@link RecordParser} alone: what the byte reading must
   * agree with.
   */
  void readEachLine(String source, BufferedReader in) throws IOException {
    sources.add(source);
    String line;
    while ((line = in.readLine()) != null) {
      total.lines++;
      total.parse(source, line);
    }
    total.lines = 0;
  }

  /**
   * What was learned: per guest, the proposed rules that {@code declared} does not allow yet
   * and that it does not refuse.
   */
  public LearnReport report(Declared declared) {
    // Guests are checked side by side: each rule passes the rule check and is matched against
    // the guest's declared rules, which for thousands of rules is worth a second processor.
    List<LearnedGuest> out = new ArrayList<>(total.guests.entrySet().parallelStream()
        .map(e -> learned(declared, e.getKey(), e.getValue())).toList());
    out.sort(Comparator.comparing(LearnedGuest::key).thenComparing(LearnedGuest::uuid));
    List<String> samples = total.samples.stream()
        .map(s -> s.source() + ":" + s.line() + ": " + s.reason()).toList();
    return new LearnReport(out, total.used, total.skipped, total.unparsed, samples, sources);
  }

  private static LearnedGuest learned(Declared declared, Uuid uuid, Gathered gathered) {
    Optional<String> name = declared.name(uuid);
    DeclaredRules have = declared.rules(uuid, name);
    List<String> rules = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int allowed = 0;
    for (Gathered.Merged m : gathered.rules.values()) {
      ProposedRule rule = m.rule();
      String text = rule.text();
      Optional<String> refusal = declared.refusal(text);
      if (refusal.isPresent()) {
        refused.add(text + " (" + refusal.get() + ")");
      } else if (have.allows(rule)) {
        allowed++;
      } else {
        rules.add(text);
      }
    }
    return new LearnedGuest(uuid, name, gathered.events, rules, allowed, refused);
  }

  /** What the declared state says about a guest; asked from several threads at once. */
  public interface Declared {
    /** The guest's domain name, when the host defines it. */
    Optional<String> name(Uuid uuid);

    /** Everything the guest is declared to be allowed. */
    DeclaredRules rules(Uuid uuid, Optional<String> name);

    /** Why a rule cannot be proposed (the policy or the rule check refuses it), or empty. */
    Optional<String> refusal(String rule);
  }
}
