package io.svirtctl.render;

/** How {@code svirtctl status} prints: a table, one JSON object, or Prometheus text metrics. */
public enum StatusFormat {
  TEXT,
  JSON,
  PROMETHEUS
}
