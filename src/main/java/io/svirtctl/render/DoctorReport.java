package io.svirtctl.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.plan.Finding;
import io.svirtctl.plan.Severity;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Prints doctor findings as text or JSON. */
public final class DoctorReport {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DoctorReport() {}

  /** True when no finding is an error: confinement is in force. */
  public static boolean confined(List<Finding> findings) {
    return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
  }

  public static void render(List<Finding> findings, OutputFormat format, PrintWriter out) {
    switch (format) {
      case TEXT -> text(findings, out);
      case JSON -> json(findings, out);
    }
    out.flush();
  }

  private static void text(List<Finding> findings, PrintWriter out) {
    for (Finding f : findings) {
      out.printf("%-7s %s: %s%n", f.severity().label(), f.check(), f.message());
      f.fix().ifPresent(fix -> out.println("        fix: " + fix));
    }
    out.println(confined(findings)
        ? "sVirt AppArmor confinement is in force."
        : "sVirt AppArmor confinement is NOT in force.");
  }

  private static void json(List<Finding> findings, PrintWriter out) {
    List<Entry> entries =
        findings.stream()
            .map(f -> new Entry(f.check(), f.severity().label(), f.message(), f.fix().orElse(null)))
            .toList();
    try {
      out.println(MAPPER.writeValueAsString(new Document(1, confined(findings), entries)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @JsonPropertyOrder({"format_version", "confined", "findings"})
  record Document(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("confined") boolean confined,
      @JsonProperty("findings") List<Entry> findings) {}

  @JsonPropertyOrder({"check", "severity", "message", "fix"})
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Entry(
      @JsonProperty("check") String check,
      @JsonProperty("severity") String severity,
      @JsonProperty("message") String message,
      @JsonProperty("fix") String fix) {}
}
