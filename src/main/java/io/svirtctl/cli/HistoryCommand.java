package io.svirtctl.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunRecord;
import io.svirtctl.render.Listing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl history}: the runs in the journal, newest first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "List the journaled runs, newest first.")
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private HostOptions hostOptions;
  @Mixin private FormatOption output;

  @Override
  public Integer call() {
    CliContext context = root.context();
    List<RunRecord> runs = Journal.list(hostOptions.layout(context.env()));
    List<String> lines = new ArrayList<>();
    List<Run> json = new ArrayList<>();
    if (runs.isEmpty()) {
      lines.add("no runs in the journal");
    }
    for (RunRecord r : runs) {
      String status = r.status().name().toLowerCase(Locale.ROOT);
      lines.add(String.format(
          "%s  %s  %-10s  %d file(s)  %s", r.id(), r.time(), status, r.files().size(), r.command()));
      json.add(new Run(r.id(), r.time().toString(), status, r.command(), r.summary(),
          r.paths().stream().map(Object::toString).toList()));
    }
    new Listing(lines, new Document(1, json, runs.size() + " run(s) in the journal"))
        .print(output.format, context.out());
    return ExitCodes.OK;
  }

  /** {@code history -o json}. */
  @JsonPropertyOrder({"format_version", "runs", "msg"})
  record Document(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("runs") List<Run> runs,
      @JsonProperty("msg") String msg) {}

  /** One journaled run; {@code files} are the paths it changed, as seen inside the root. */
  @JsonPropertyOrder({"id", "time", "status", "command", "summary", "files"})
  record Run(
      @JsonProperty("id") String id,
      @JsonProperty("time") String time,
      @JsonProperty("status") String status,
      @JsonProperty("command") String command,
      @JsonProperty("summary") String summary,
      @JsonProperty("files") List<String> files) {}
}
