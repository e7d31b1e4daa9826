package io.svirtctl.cli;

import io.svirtctl.plan.Plan;
import io.svirtctl.render.Renderer;
import io.svirtctl.render.RunOutcome;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code -o text|json} and {@code --detailed-exitcode}, shared by plan and apply. */
final class OutputOptions {

  @Mixin FormatOption output;

  @Option(
      names = "--detailed-exitcode",
      description = "Exit 2 when there are changes (plan) or changes were made (apply).")
  boolean detailedExitCode;

  int exitCode(boolean changed) {
    return detailedExitCode && changed ? ExitCodes.CHANGES : ExitCodes.OK;
  }

  /**
   * The exit code of a plan or apply run: 1 when some resources could not be planned because a
   * host file they depend on is broken, whether or not other changes were applied (DESIGN.md
   * section 3), so a timer keeps failing until the file is fixed.
   */
  int exitCode(Plan plan) {
    return plan.failed() ? ExitCodes.FAILED : exitCode(plan.changed());
  }

  /** Prints the run's outcome, and each resource it left out as an error line. */
  int report(RunOutcome outcome, CliContext context) {
    int rc = exitCode(outcome.plan());
    Renderer.of(output.format).render(
        new RunOutcome(outcome.plan(), outcome.checkMode(), outcome.reloaded(),
            outcome.showDiff(), rc),
        context.out());
    outcome.plan().failures().forEach(f -> context.err().println("svirtctl: " + f));
    context.err().flush();
    return rc;
  }
}
