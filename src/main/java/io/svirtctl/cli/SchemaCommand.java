package io.svirtctl.cli;

import io.svirtctl.state.StateSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl schema}: prints the JSON Schema of state files, for editors. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = "Print the JSON Schema (draft 2020-12) of the state file.")
final class SchemaCommand implements Callable<Integer> {

  private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";

  @ParentCommand private SvirtctlCommand root;

  @Override
  public Integer call() {
    // The schema generator logs through SLF4J; without a provider SLF4J warns on stderr, which
    // would spoil a command whose output is meant for files and pipes.
    if (System.getProperty(SLF4J_VERBOSITY) == null) {
      System.setProperty(SLF4J_VERBOSITY, "ERROR");
    }
    root.context().out().print(StateSchema.json());
    root.context().out().flush();
    return ExitCodes.OK;
  }
}
