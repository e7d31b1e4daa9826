package io.svirtctl.cli;

import io.svirtctl.apply.Reconciler;
import io.svirtctl.host.HostLayout;
import io.svirtctl.render.RunOutcome;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl plan}: what apply would change, without writing anything. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Show the changes that would make the host match the desired state.")
final class PlanCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Mixin private StateFileOptions state;
  @Mixin private HostOptions hostOptions;
  @Mixin private OutputOptions output;

  @Option(names = "--diff", description = "Also print unified diffs of every file (text output).")
  private boolean diff;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = hostOptions.layout(context.env());
    Reconciler.Report report =
        new Reconciler(layout, HostOptions.parser(layout),
                Clock.systemUTC())
            .plan(state.load(context, layout));
    return output.report(new RunOutcome(report.plan(), true, List.of(), diff), context);
  }
}
