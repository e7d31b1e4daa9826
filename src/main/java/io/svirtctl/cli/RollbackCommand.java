package io.svirtctl.cli;

import io.svirtctl.apply.Rollback;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.HostLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
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
    description = {
      "Restore the files a run changed (default: the newest run, or the rollback a crash",
      "interrupted); journaled too. Refused while later runs exist unless --including-later."
    })
final class RollbackCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private HostOptions hostOptions;

  @Parameters(arity = "0..1", paramLabel = "ID", description = "Run id from 'svirtctl history'.")
  private String id;

  @Option(names = "--no-reload", description = "Do not replace restored profiles in the kernel.")
  private boolean noReload;

  @Option(
      names = Rollback.INCLUDING_LATER,
      description = "Also roll back every run after ID (refused without it when there are any).")
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
    PrintWriter out = context.out();
    for (Path p : r.restored()) {
      out.println("restored: " + p);
    }
    for (Path p : r.deleted()) {
      out.println("deleted: " + p);
    }
    for (Path p : r.unchanged()) {
      out.println("unchanged: " + p);
    }
    for (String p : r.reloaded()) {
      out.println("reloaded: " + p);
    }
    out.println("Rolled back run " + r.rolledBack() + " as run " + r.runId() + ": "
        + r.restored().size() + " file(s) restored, " + r.deleted().size() + " deleted, "
        + r.unchanged().size() + " already as before.");
    out.flush();
    return ExitCodes.OK;
  }
}
