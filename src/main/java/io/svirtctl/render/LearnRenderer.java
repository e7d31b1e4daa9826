package io.svirtctl.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.svirtctl.learn.LearnReport;
import io.svirtctl.learn.LearnedGuest;
import io.svirtctl.state.RulesMerge;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Prints a {@link LearnReport}: per guest in text, as a state-file fragment ready to paste
 * ({@code apparmor.guests.list.<name>.rules}), or as one JSON object (DESIGN.md section 3).
 */
public final class LearnRenderer {

  /**
   * The JSON is written field by field rather than bound from records: Jackson's data binding
   * (its object mapper, reflection over the records, proxies for their annotations) cost a run
   * about as long as reading a small log (docs/performance.md). The output is the same bytes.
   */
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

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

  /**
   * One line: {@code format_version}, {@code guests} (each {@code uuid}, {@code name}, null when
   * no domain XML names the guest, {@code events}, {@code rules}), {@code records} ({@code used},
   * {@code skipped}, {@code unparsed}) and {@code sources}, keys in that order.
   */
  private static void json(LearnReport r, PrintWriter out) {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format_version", JsonRenderer.FORMAT_VERSION);
      g.writeArrayFieldStart("guests");
      for (LearnedGuest guest : r.guests()) {
        g.writeStartObject();
        g.writeStringField("uuid", guest.uuid().value());
        g.writeStringField("name", guest.name().orElse(null));
        g.writeNumberField("events", guest.events());
        strings(g, "rules", guest.rules());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("records");
      g.writeNumberField("used", r.used());
      g.writeNumberField("skipped", r.skipped());
      g.writeNumberField("unparsed", r.unparsed());
      g.writeEndObject();
      strings(g, "sources", r.sources());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println();
  }

  private static void strings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
