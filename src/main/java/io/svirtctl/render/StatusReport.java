package io.svirtctl.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.plan.GuestStatus;
import io.svirtctl.plan.HostStatus;
import io.svirtctl.plan.LastRun;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Prints a {@link HostStatus} as a table, as JSON (DESIGN.md section 3) or as metrics. */
public final class StatusReport {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String NONE = "-";

  private StatusReport() {}

  public static void render(HostStatus status, StatusFormat format, PrintWriter out) {
    switch (format) {
      case TEXT -> text(status, out);
      case JSON -> json(status, out);
      case PROMETHEUS -> StatusMetrics.write(status, out);
    }
    out.flush();
  }

  /** The mode column: the file's mode, {@code invalid} when it does not parse, else none. */
  static String modeLabel(GuestStatus g) {
    if (g.problem().isPresent()) {
      return "invalid";
    }
    return g.mode().map(Mode::label).orElse("none");
  }

  /** The one-line summary: guests by mode. */
  static String summary(HostStatus status) {
    long complain = status.guests().stream().filter(g -> g.mode().equals(Optional.of(Mode.COMPLAIN))).count();
    String s = status.guests().size() + (status.guests().size() == 1 ? " guest" : " guests")
        + ", " + complain + " in complain mode";
    if (status.declared()) {
      long out = status.guests().stream().filter(g -> !g.inSync().orElse(true)).count();
      s += ", " + out + " not in sync";
    }
    return s;
  }

  private static void text(HostStatus status, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(status.declared()
        ? new String[] {"NAME", "UUID", "STATE", "MODE", "LOADED", "RULES", "IN SYNC"}
        : new String[] {"NAME", "UUID", "STATE", "MODE", "LOADED", "RULES"});
    for (GuestStatus g : status.guests()) {
      String[] row = {
        g.name().map(StatusReport::oneLine).orElse(NONE),
        g.uuid().value(),
        g.state().label(),
        modeLabel(g),
        g.loadedMode().orElse(NONE),
        String.valueOf(g.managedRules()),
        g.inSync().map(b -> b ? "yes" : "no").orElse(NONE)
      };
      rows.add(status.declared() ? row : Arrays.copyOf(row, 6));
    }
    table(rows, out);
    out.println();
    out.println("host " + status.host());
    field(out, "driver", status.securityDriver().map(d -> String.join(", ", d))
        .orElse("unset (libvirt probes selinux, then apparmor)"));
    field(out, "default confined", yesNo(status.defaultConfined()));
    field(out, "require confined", yesNo(status.requireConfined()));
    field(out, "template", status.template() + (status.templatePresent()
        ? " (" + rules(status.templateRules()) + ")" : " (missing)"));
    field(out, "site rules", status.siteRulesFile() + " (" + rules(status.siteRules()) + ")");
    field(out, "hook", status.hookInstalled() ? "installed" : "not installed");
    field(out, "last run", status.lastRun().map(StatusReport::run).orElse("none"));
    field(out, "confinement", status.confined() ? "in force" : "NOT in force (see svirtctl doctor)");
    for (String w : status.warnings()) {
      out.println("warning: " + w);
    }
    out.println(summary(status) + ".");
  }

  /** A name as one table cell: control characters shown as escapes, so a row stays one line. */
  private static String oneLine(String name) {
    StringBuilder b = new StringBuilder(name.length());
    name.codePoints().forEach(c -> {
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private static String run(LastRun r) {
    return r.id() + " at " + r.time() + (r.complete() ? "" : " (incomplete)") + ": " + r.command();
  }

  private static String rules(int n) {
    return n == 1 ? "1 managed rule" : n + " managed rules";
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  private static void field(PrintWriter out, String name, String value) {
    out.printf("  %-17s %s%n", name + ":", value);
  }

  /** Columns padded to their widest cell, two spaces apart; no trailing blanks. */
  private static void table(List<String[]> rows, PrintWriter out) {
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      out.println(line);
    }
  }

  private static void json(HostStatus s, PrintWriter out) {
    List<GuestEntry> guests =
        s.guests().stream()
            .map(g -> new GuestEntry(
                g.uuid().value(),
                g.name().orElse(null),
                g.state().label(),
                g.mode().map(Mode::label).orElse(null),
                g.loadedMode().orElse(null),
                g.managedRules(),
                g.inSync().orElse(null),
                g.problem().orElse(null)))
            .toList();
    Document doc = new Document(
        JsonRenderer.FORMAT_VERSION,
        s.host(),
        guests,
        s.securityDriver().orElse(null),
        s.defaultConfined(),
        s.requireConfined(),
        new TemplateEntry(s.template().toString(), s.templatePresent(), s.templateRules()),
        new SiteRulesEntry(s.siteRulesFile().toString(), s.siteRules()),
        s.hookInstalled(),
        s.confined(),
        s.lastRun().map(r -> new RunEntry(r.id(), r.time().toString(), r.command(), r.complete()))
            .orElse(null),
        s.warnings(),
        summary(s));
    try {
      out.println(MAPPER.writeValueAsString(doc));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @JsonPropertyOrder({
    "format_version", "host", "guests", "security_driver", "default_confined", "require_confined",
    "template", "site_rules", "hook_installed", "confined", "last_run", "warnings", "msg"
  })
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Document(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("host") String host,
      @JsonProperty("guests") List<GuestEntry> guests,
      @JsonProperty("security_driver") List<String> securityDriver,
      @JsonProperty("default_confined") boolean defaultConfined,
      @JsonProperty("require_confined") boolean requireConfined,
      @JsonProperty("template") TemplateEntry template,
      @JsonProperty("site_rules") SiteRulesEntry siteRules,
      @JsonProperty("hook_installed") boolean hookInstalled,
      @JsonProperty("confined") boolean confined,
      @JsonProperty("last_run") RunEntry lastRun,
      @JsonProperty("warnings") List<String> warnings,
      @JsonProperty("msg") String msg) {}

  /** One guest; {@code in_sync} only with a desired state, {@code problem} only when there is one. */
  @JsonPropertyOrder({
    "uuid", "name", "state", "mode", "loaded_mode", "managed_rules", "in_sync", "problem"
  })
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record GuestEntry(
      @JsonProperty("uuid") String uuid,
      @JsonProperty("name") String name,
      @JsonProperty("state") String state,
      @JsonProperty("mode") String mode,
      @JsonProperty("loaded_mode") String loadedMode,
      @JsonProperty("managed_rules") int managedRules,
      @JsonProperty("in_sync") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean inSync,
      @JsonProperty("problem") @JsonInclude(JsonInclude.Include.NON_NULL) String problem) {}

  @JsonPropertyOrder({"path", "present", "managed_rules"})
  record TemplateEntry(
      @JsonProperty("path") String path,
      @JsonProperty("present") boolean present,
      @JsonProperty("managed_rules") int managedRules) {}

  @JsonPropertyOrder({"path", "managed_rules"})
  record SiteRulesEntry(
      @JsonProperty("path") String path, @JsonProperty("managed_rules") int managedRules) {}

  @JsonPropertyOrder({"id", "time", "command", "complete"})
  record RunEntry(
      @JsonProperty("id") String id,
      @JsonProperty("time") String time,
      @JsonProperty("command") String command,
      @JsonProperty("complete") boolean complete) {}
}
