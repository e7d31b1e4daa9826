package io.svirtctl.render;

/** How {@code export} prints the host: a state file ({@code -o yaml}) or one JSON object. */
public enum ExportFormat {
  YAML,
  JSON
}
