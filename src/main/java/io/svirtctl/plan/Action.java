package io.svirtctl.plan;

import java.util.Locale;

/** What a change does to its resource. */
public enum Action {
  CREATE("+"),
  UPDATE("~"),
  DELETE("-");

  private final String symbol;

  Action(String symbol) {
    this.symbol = symbol;
  }

  /**
   * The action that takes a resource from one state to another: creating what was absent,
   * deleting what will be absent, updating otherwise.
   */
  public static Action between(boolean existsBefore, boolean existsAfter) {
    if (!existsBefore) {
      return CREATE;
    }
    return existsAfter ? UPDATE : DELETE;
  }

  /** The one-character symbol of text output: {@code + ~ -}. */
  public String symbol() {
    return symbol;
  }

  /** The lowercase name used in JSON output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
