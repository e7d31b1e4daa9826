package io.svirtctl.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.plan.Change;
import io.svirtctl.plan.FileOperation;
import io.svirtctl.plan.Plan;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Machine output: one JSON object per run, keys in a stable order, as DESIGN.md section 3 and
 * Ansible's module conventions ({@code changed}, {@code diff}, {@code msg}) expect.
 */
final class JsonRenderer implements Renderer {

  static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public void render(RunOutcome outcome, PrintWriter out) {
    try {
      out.println(MAPPER.writeValueAsString(document(outcome)));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RunDocument document(RunOutcome outcome) {
    Plan plan = outcome.plan();
    List<ChangeEntry> changes = plan.changes().stream().map(JsonRenderer::entry).toList();
    List<DiffEntry> diff = plan.files().stream().map(JsonRenderer::diff).toList();
    return new RunDocument(
        FORMAT_VERSION,
        plan.host(),
        plan.changed(),
        outcome.checkMode(),
        changes,
        diff,
        plan.restartRequired(),
        outcome.reloaded(),
        plan.warnings(),
        outcome.message(),
        plan.failed() ? Boolean.TRUE : null,
        plan.failed() ? outcome.exitCode() : null,
        plan.failures().stream().map(f -> new FailureEntry(f.resource(), f.error())).toList());
  }

  private static ChangeEntry entry(Change c) {
    ChangeView v = ChangeView.of(c);
    return new ChangeEntry(
        c.action().label(),
        c.resource(),
        c.path().toString(),
        v.before().orElse(null),
        v.after().orElse(null));
  }

  private static DiffEntry diff(FileOperation op) {
    String path = op.path().toString();
    return new DiffEntry(path, path, op.before().orElse(""), op.after().orElse(""));
  }

  /** The whole JSON document of a run. */
  @JsonPropertyOrder({
    "format_version", "host", "changed", "check_mode", "changes", "diff",
    "restart_required", "reloaded", "warnings", "msg", "failed", "rc", "failures"
  })
  record RunDocument(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("host") String host,
      @JsonProperty("changed") boolean changed,
      @JsonProperty("check_mode") boolean checkMode,
      @JsonProperty("changes") List<ChangeEntry> changes,
      @JsonProperty("diff") List<DiffEntry> diff,
      @JsonProperty("restart_required") List<String> restartRequired,
      @JsonProperty("reloaded") List<String> reloaded,
      @JsonProperty("warnings") List<String> warnings,
      @JsonProperty("msg") String msg,
      @JsonProperty("failed") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean failed,
      @JsonProperty("rc") @JsonInclude(JsonInclude.Include.NON_NULL) Integer rc,
      @JsonProperty("failures") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          List<FailureEntry> failures) {}

  /** A resource left out of the run, and why (with the file and position). */
  @JsonPropertyOrder({"resource", "error"})
  record FailureEntry(
      @JsonProperty("resource") String resource, @JsonProperty("error") String error) {}

  /** One change; {@code before} or {@code after} is null for a create or a delete. */
  @JsonPropertyOrder({"action", "resource", "path", "before", "after"})
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record ChangeEntry(
      @JsonProperty("action") String action,
      @JsonProperty("resource") String resource,
      @JsonProperty("path") String path,
      @JsonProperty("before") String before,
      @JsonProperty("after") String after) {}

  /** One file's whole text before and after, in Ansible's diff shape. */
  @JsonPropertyOrder({"before_header", "after_header", "before", "after"})
  record DiffEntry(
      @JsonProperty("before_header") String beforeHeader,
      @JsonProperty("after_header") String afterHeader,
      @JsonProperty("before") String before,
      @JsonProperty("after") String after) {}
}
