package io.svirtctl.render;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.learn.LearnReport;
import io.svirtctl.learn.LearnedGuest;
import io.svirtctl.state.RulesMerge;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Prints a {@link LearnReport}: per guest in text, as a state-file fragment ready to paste
 * ({@code apparmor.guests.list.<name>.rules}), or as one JSON object (DESIGN.md section 3).
 */
public final class LearnRenderer {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LearnRenderer() {}

  /** Writes {@code report} to {@code out} in {@code format}. */
  public static void render(LearnReport report, LearnFormat format, PrintWriter out) {
    switch (format) {
      case TEXT -> text(report, out);
      case YAML -> yaml(report, out);
      case JSON -> json(report, out);
      default -> throw new IllegalArgumentException(format.name());
    }
    out.flush();
  }

  private static void text(LearnReport r, PrintWriter out) {
    for (LearnedGuest g : r.guests()) {
      out.println("guest " + g.name().orElse("(no domain XML names it)") + " " + g.uuid().value()
          + ": " + g.events() + " event" + (g.events() == 1 ? "" : "s") + ", "
          + g.rules().size() + " rule" + (g.rules().size() == 1 ? "" : "s") + " proposed");
      g.rules().forEach(rule -> out.println("  + " + rule));
      if (g.alreadyAllowed() > 0) {
        out.println("  (" + g.alreadyAllowed() + " already allowed by the declared rules)");
      }
      g.refused().forEach(rule -> out.println("  ! not proposed: " + rule));
    }
    if (r.guests().isEmpty()) {
      out.println("no events of libvirt guest profiles");
    }
    out.println("records: " + r.used() + " used, " + r.skipped() + " skipped, " + r.unparsed()
        + " unparsed; read " + String.join(", ", r.sources()));
    r.unparsedSamples().forEach(s -> out.println("unparsed: " + s));
  }

  private static void yaml(LearnReport r, PrintWriter out) {
    List<LearnedGuest> withRules = r.guests().stream().filter(g -> !g.rules().isEmpty()).toList();
    if (withRules.isEmpty()) {
      out.println("# svirtctl learn: no rules to propose");
      return;
    }
    out.println("apparmor:");
    out.println("  guests:");
    out.println("    list:");
    for (LearnedGuest g : withRules) {
      out.println("      " + RulesMerge.key(g.key()) + ":" + (g.name().isPresent()
          ? "  # " + g.uuid().value() : ""));
      out.println("        rules:");
      g.rules().forEach(rule -> out.println("          - " + RulesMerge.quote(rule)));
    }
  }

  @JsonPropertyOrder({"format_version", "guests", "records", "sources"})
  record Document(int format_version, List<GuestEntry> guests, Records records,
      List<String> sources) {}

  @JsonPropertyOrder({"uuid", "name", "events", "rules"})
  record GuestEntry(String uuid, String name, long events, List<String> rules) {}

  @JsonPropertyOrder({"used", "skipped", "unparsed"})
  record Records(long used, long skipped, long unparsed) {}

  private static void json(LearnReport r, PrintWriter out) {
    List<GuestEntry> guests = r.guests().stream()
        .map(g -> new GuestEntry(g.uuid().value(), g.name().orElse(null), g.events(), g.rules()))
        .toList();
    try {
      out.println(MAPPER.writeValueAsString(new Document(JsonRenderer.FORMAT_VERSION, guests,
          new Records(r.used(), r.skipped(), r.unparsed()), r.sources())));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
