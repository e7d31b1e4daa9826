package io.svirtctl.cli;

import io.svirtctl.apply.Rollback;
import io.svirtctl.host.ApparmorParser;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.svirtctl.host.HostLayout;
import io.svirtctl.render.Listing;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl rollback [ID]}: restore a run's files byte for byte. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = "Restore the files a run changed (default: the newest run); journaled too.")
final class RollbackCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private HostOptions hostOptions;
  @Mixin private FormatOption output;

  @Parameters(arity = "0..1", paramLabel = "ID", description = "Run id from 'svirtctl history'.")
  private String id;

  @Option(names = "--no-reload", description = "Do not replace restored profiles in the kernel.")
  private boolean noReload;

  @Option(
      names = Rollback.INCLUDING_LATER,
      description =
          "Also roll back every run after ID (refused without it when there are any). Without"
              + " ID, a rollback a crash interrupted is finished.")
  private boolean includingLater;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = hostOptions.layout(context.env());
    ApparmorParser parser = HostOptions.parser(layout);
    Rollback.Result r =
        new Rollback(layout, parser, Clock.systemUTC())
            .run(
                Optional.ofNullable(id),
                includingLater,
                !noReload && hostOptions.reloadAllowed(context.env()));
    List<String> lines = new ArrayList<>();
    r.restored().forEach(p -> lines.add("restored: " + p));
    r.deleted().forEach(p -> lines.add("deleted: " + p));
    r.unchanged().forEach(p -> lines.add("unchanged: " + p));
    r.reloaded().forEach(p -> lines.add("reloaded: " + p));
    String msg = "Rolled back run " + r.rolledBack() + " as run " + r.runId() + ": "
        + r.restored().size() + " file(s) restored, " + r.deleted().size() + " deleted, "
        + r.unchanged().size() + " already as before.";
    lines.add(msg);
    List<String> restored = r.restored().stream().map(Path::toString).toList();
    List<String> deleted = r.deleted().stream().map(Path::toString).toList();
    List<String> unchanged = r.unchanged().stream().map(Path::toString).toList();
    new Listing(lines, new Document(1, !restored.isEmpty() || !deleted.isEmpty(), r.rolledBack(),
            r.runId(), restored, deleted, unchanged, r.reloaded(), msg))
        .print(output.format, context.out());
    return ExitCodes.OK;
  }

  /** {@code rollback -o json}. */
  @JsonPropertyOrder({
    "format_version", "changed", "rolled_back", "run_id", "restored", "deleted", "unchanged",
    "reloaded", "msg"})
  record Document(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("changed") boolean changed,
      @JsonProperty("rolled_back") String rolledBack,
      @JsonProperty("run_id") String runId,
      @JsonProperty("restored") List<String> restored,
      @JsonProperty("deleted") List<String> deleted,
      @JsonProperty("unchanged") List<String> unchanged,
      @JsonProperty("reloaded") List<String> reloaded,
      @JsonProperty("msg") String msg) {}
}
