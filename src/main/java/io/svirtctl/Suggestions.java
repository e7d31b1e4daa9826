package io.svirtctl;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for misspelled names: the closest valid name by edit distance, if close. The one
 * edit distance of svirtctl, for state-file keys and values and AppArmor profile flags alike.
 */
public final class Suggestions {

  private Suggestions() {}

  /** The closest candidate within a typo's reach of {@code wrong}, if any. */
  public static Optional<String> closest(String wrong, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(wrong, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    // A third of the name, capped at 3 edits: beyond that the suggestion is noise, not a typo fix.
    int budget = Math.max(1, Math.min(3, wrong.length() / 3));
    return best != null && bestDistance <= budget ? Optional.of(best) : Optional.empty();
  }

  /** " (did you mean 'x'?)" or "". */
  public static String hint(String wrong, Collection<String> candidates) {
    return closest(wrong, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
  }

  /** Levenshtein distance, case-insensitive for letters so "Complain" finds "complain". */
  public static int distance(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    // Optimal string alignment: a swap of two neighbours ("mdoe") counts as one typo.
    int[][] d = new int[x.length() + 1][y.length() + 1];
    for (int i = 0; i <= x.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= y.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      for (int j = 1; j <= y.length(); j++) {
        int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && x.charAt(i - 1) == y.charAt(j - 2) && x.charAt(i - 2) == y.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[x.length()][y.length()];
  }
}
