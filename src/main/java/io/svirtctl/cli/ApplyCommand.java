package io.svirtctl.cli;

import io.svirtctl.apply.Reconciler;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.HostLayout;
import io.svirtctl.render.RunOutcome;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl apply}: make the host match the desired state, idempotently and atomically. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Make the host match the desired state; a second run changes nothing.")
final class ApplyCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private StateFileOptions state;
  @Mixin private HostOptions hostOptions;
  @Mixin private OutputOptions output;

  @Option(names = "--check", description = "Only show what would change; write nothing.")
  private boolean check;

  @Option(names = "--diff", description = "Print unified diffs of the changed files (text output).")
  private boolean diff;

  @Option(names = "--no-reload", description = "Do not replace changed profiles in the kernel.")
  private boolean noReload;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = hostOptions.layout(context.env());
    ApparmorParser parser = HostOptions.parser(layout);
    Reconciler.Report report =
        new Reconciler(layout, parser, Clock.systemUTC())
            .apply(
                state.load(context, layout),
                "apply -f " + state.displayName(),
                check,
                !noReload && hostOptions.reloadAllowed(context.env()));
    return output.report(
        new RunOutcome(report.plan(), check, report.reloaded(), diff), context);
  }
}
