package io.svirtctl.learn;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one learn run.
 *
 * @param guests every guest with at least one event, sorted by key
 * @param used records that asked for an access of a guest in scope
 * @param skipped lines read and left out: other profiles, status/audit/hint records, lines of
 *     other subsystems, events outside {@code --guest} or {@code --since}
 * @param unparsed lines that look like AppArmor records but cannot be read
 * @param unparsedSamples the first few of them, as {@code file:line: reason}
 * @param sources the logs read, in order
 */
public record LearnReport(List<LearnedGuest> guests, long used, long skipped, long unparsed,
    List<String> unparsedSamples, List<String> sources) {

  public LearnReport {
    guests = List.copyOf(guests);
    unparsedSamples = List.copyOf(unparsedSamples);
    sources = List.copyOf(sources);
    Objects.requireNonNull(sources, "sources");
  }

  /** Whether any rule is proposed. */
  public boolean proposesRules() {
    return guests.stream().anyMatch(g -> !g.rules().isEmpty());
  }
}
