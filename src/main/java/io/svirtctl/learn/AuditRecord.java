package io.svirtctl.learn;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One AppArmor audit record as the kernel wrote it: its verdict, when it happened (epoch
 * milliseconds of {@code audit(…)}, or of the log line's own date when the record has none), and
 * its fields with hex-encoded values decoded. Fields the rules do not use are not kept.
 */
public record AuditRecord(Verdict verdict, OptionalLong epochMillis, Map<String, String> fields) {

  public AuditRecord {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(epochMillis, "epochMillis");
    fields = Map.copyOf(fields);
  }

  /** A field's value, decoded. */
  public Optional<String> field(String key) {
    return Optional.ofNullable(fields.get(key));
  }

  /** The first of {@code keys} present (old and new kernels name some fields differently). */
  public Optional<String> firstOf(String... keys) {
    for (String k : keys) {
      String v = fields.get(k);
      if (v != null) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** The profile (or label) the record is about. */
  public Optional<String> profile() {
    return firstOf("profile", "label");
  }

  /** The operation, {@code open}, {@code exec}, {@code capable}, … */
  public String operation() {
    return fields.getOrDefault("operation", "");
  }
}
