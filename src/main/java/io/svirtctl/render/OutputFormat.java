package io.svirtctl.render;

/** How a plan or a result is printed: {@code -o text} or {@code -o json}. */
public enum OutputFormat {
  TEXT,
  JSON
}
