package io.svirtctl.apparmor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.svirtctl.Fixtures;
import io.svirtctl.InvalidInputException;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.testing.FakeParser;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The real apparmor_parser 3.0.8 judging rules inside a libvirt guest profile's managed block, on
 * a tree made of this machine's /etc/apparmor.d and the shared Debian 12 libvirt files. Rules are
 * compiled many per run; a refused batch is split in halves until each refusal is one rule's
 * (rules that only conflict with each other are then accepted one by one, as they would be alone).
 */
final class ParserHarness {

  private static final Pattern AT_LINE = Pattern.compile("in profile PROFILE at line (\\d+)");
  private static final Pattern NAMED_PATH =
      Pattern.compile("Unable to parse input line '([^']+)'|merged rule (\\S+) with conflicting");

  static final String UUID = "5b3a1c1e-8a51-4d7c-9a77-0123456789ab";

  /** An exec permission: rules of different profiles may give one file conflicting ones. */
  private static final Pattern EXEC = Pattern.compile("\\b[a-zA-Z]*[iuIU]x[a-zA-Z]*\\b|\\b[pcPC]x");

  private final Path work;
  private final Path apparmorDir;
  private final String guestHead;
  private final String guestTail;
  private final ApparmorParser parser;
  private final AtomicInteger runs = new AtomicInteger();

  private ParserHarness(Path work, Path apparmorDir, String guest, ApparmorParser parser) {
    this.work = work;
    this.apparmorDir = apparmorDir;
    int close = guest.lastIndexOf("\n}");
    this.guestHead = guest.substring(0, close + 1);
    this.guestTail = guest.substring(close + 1);
    this.parser = parser;
  }

  /** Builds the tree under {@code temp}; skips the test when the parser is missing (never in CI). */
  static ParserHarness create(Path temp) throws IOException {
    boolean required = "1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS"));
    assumeTrue(required || Files.isExecutable(FakeParser.REAL), "apparmor_parser not installed");
    Path fixtures = Fixtures.root();
    Path dir = temp.resolve("root/etc/apparmor.d");
    Files.createDirectories(dir);
    for (String sub : List.of("tunables", "abstractions", "abi", "local")) {
      Path system = Path.of("/etc/apparmor.d", sub);
      if (Files.isDirectory(system)) {
        Trees.copy(system, dir.resolve(sub));
      }
    }
    try (var s = Files.list(Path.of("/etc/apparmor.d"))) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.copy(p, dir.resolve(p.getFileName().toString()));
      }
    }
    Trees.copy(fixtures.resolve("libvirt/debian12-9.0.0/etc/apparmor.d"), dir);
    Trees.copy(fixtures.resolve("apparmor/support"), dir);
    Path output = fixtures.resolve("libvirt/virt-aa-helper-9.0.0-output");
    Files.copy(output.resolve("libvirt-" + UUID + ".files"), dir.resolve("libvirt/libvirt-" + UUID + ".files"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String guest = Files.readString(output.resolve("libvirt-" + UUID));
    Path work = temp.resolve("work");
    Files.createDirectories(work);
    return new ParserHarness(work, dir, guest,
        new ApparmorParser(FakeParser.REAL, Duration.ofSeconds(60)));
  }

  Path apparmorDir() {
    return apparmorDir;
  }

  int runs() {
    return runs.get();
  }

  /**
   * Why the parser refuses the guest profile with exactly these rules in its managed block (and
   * the preamble before its profile line); empty when it compiles. Without {@code withTemplate}
   * the guest's include of the libvirt-qemu abstraction is left out.
   */
  Optional<String> refusal(String preamble, List<String> rules, boolean withTemplate) {
    StringBuilder text = new StringBuilder();
    int include = guestHead.indexOf("\nprofile ");
    String body = guestHead.substring(include + 1);
    if (!withTemplate) {
      body = body.replace("#include <abstractions/libvirt-qemu>", "");
    }
    text.append(guestHead, 0, include + 1).append(preamble).append(body);
    text.append(RuleSnippet.BEGIN).append('\n');
    for (String r : rules) {
      text.append("  ").append(r).append('\n');
    }
    text.append(RuleSnippet.END).append('\n').append(guestTail);
    Path file;
    try {
      file = Files.createTempFile(work, "libvirt-", "");
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    runs.incrementAndGet();
    try {
      parser.check(apparmorDir, file);
      return Optional.empty();
    } catch (InvalidInputException e) {
      return Optional.of(e.getMessage().replace(file.toString(), "PROFILE"));
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Whether the parser accepts the guest profile with these rules. */
  boolean accepts(String preamble, List<String> rules) {
    return refusal(preamble, rules, true).isEmpty();
  }

  /** Each rule's verdict alone in the guest profile, found with as few runs as the refusals allow. */
  Map<RuleCorpus.Found, Optional<String>> verdicts(List<RuleCorpus.Found> rules) throws InterruptedException {
    Map<RuleCorpus.Found, Optional<String>> out = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      Map<List<String>, List<RuleCorpus.Found>> groups = rules.stream().collect(Collectors.groupingBy(
          r -> List.of(r.preamble(), String.valueOf(batchSize(r.rule()))), LinkedHashMap::new, Collectors.toList()));
      for (List<RuleCorpus.Found> group : groups.values()) {
        int size = batchSize(group.get(0).rule());
        for (int i = 0; i < group.size(); i += size) {
          List<RuleCorpus.Found> batch = group.subList(i, Math.min(group.size(), i + size));
          jobs.add(pool.submit(() -> judge(batch, out)));
        }
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /**
   * Rules per parser run. Each run compiles the guest's whole template, so large batches are
   * fast; exec rules of different profiles may conflict with each other and includes may pull in
   * files that do not compile, and a batch refused for either is split, so those go in small
   * batches.
   */
  private static int batchSize(String rule) {
    if (rule.startsWith("include") || rule.startsWith("#include")) {
      return 60;
    }
    return EXEC.matcher(rule).find() ? 30 : 1000;
  }

  private void judge(List<RuleCorpus.Found> batch, Map<RuleCorpus.Found, Optional<String>> out) {
    Optional<String> refusal =
        refusal(batch.get(0).preamble(), batch.stream().map(RuleCorpus.Found::rule).toList(), true);
    if (refusal.isEmpty()) {
      batch.forEach(r -> out.put(r, Optional.empty()));
      return;
    }
    if (batch.size() == 1) {
      out.put(batch.get(0), refusal);
      return;
    }
    List<RuleCorpus.Found> named = named(batch, refusal.get());
    if (named.isEmpty() || named.size() == batch.size()) {
      judge(batch.subList(0, batch.size() / 2), out);
      judge(batch.subList(batch.size() / 2, batch.size()), out);
      return;
    }
    // The parser named the culprits: each is judged alone, the rest again as one batch.
    named.forEach(r -> judge(List.of(r), out));
    List<RuleCorpus.Found> rest = new ArrayList<>(batch);
    rest.removeAll(named);
    judge(rest, out);
  }

  /** The rules of a batch the parser's message points at: by line in the profile, or by path. */
  private List<RuleCorpus.Found> named(List<RuleCorpus.Found> batch, String message) {
    Matcher line = AT_LINE.matcher(message);
    if (line.find()) {
      int index = Integer.parseInt(line.group(1)) - firstRuleLine(batch.get(0).preamble());
      return index >= 0 && index < batch.size() ? List.of(batch.get(index)) : List.of();
    }
    Matcher path = NAMED_PATH.matcher(message);
    if (path.find()) {
      String p = path.group(1) != null ? path.group(1) : path.group(2);
      return batch.stream().filter(r -> r.rule().contains(p)).toList();
    }
    return List.of();
  }

  /** The line number of the first managed rule in the profile {@link #refusal} writes. */
  private int firstRuleLine(String preamble) {
    int include = guestHead.indexOf("\nprofile ");
    String head = guestHead.substring(0, include + 1) + preamble + guestHead.substring(include + 1);
    return (int) head.chars().filter(c -> c == '\n').count() + 2;
  }
}
