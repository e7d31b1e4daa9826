package io.svirtctl.render;

/** How {@code learn} prints what it found: {@code -o text}, {@code yaml} or {@code json}. */
public enum LearnFormat {
  TEXT,
  YAML,
  JSON
}
