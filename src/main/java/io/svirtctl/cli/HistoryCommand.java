package io.svirtctl.cli;

import io.svirtctl.apply.Journal;
import io.svirtctl.apply.RunRecord;
import io.svirtctl.host.HostLayout;
import java.io.PrintWriter;
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

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = hostOptions.layout(context.env());
    List<RunRecord> runs = Journal.list(layout);
    PrintWriter out = context.out();
    if (runs.isEmpty()) {
      out.println("no runs in the journal");
    }
    for (RunRecord r : runs) {
      out.printf(
          "%s  %s  %-10s  %d file(s)  %s%n",
          r.id(), r.time(), r.status().name().toLowerCase(Locale.ROOT), r.files().size(), r.command());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
