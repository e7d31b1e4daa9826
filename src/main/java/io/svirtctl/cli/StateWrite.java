package io.svirtctl.cli;

import io.svirtctl.host.AtomicFileWriter;
import io.svirtctl.learn.LearnReport;
import io.svirtctl.learn.LearnedGuest;
import io.svirtctl.state.RulesMerge;
import io.svirtctl.state.StateLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code learn --write}: the proposed rules merged into the state file, validated, in place. */
final class StateWrite {

  private StateWrite() {}

  static void merge(String file, StateInput input, String host, LearnReport report,
      CliContext context) {
    String hostName = host == null ? StateInput.hostname() : host;
    List<RulesMerge.GuestRules> guests = new ArrayList<>();
    int count = 0;
    for (LearnedGuest g : report.guests()) {
      if (!g.rules().isEmpty()) {
        List<String> keys = g.name().map(n -> List.of(n, g.uuid().value()))
            .orElse(List.of(g.uuid().value()));
        guests.add(new RulesMerge.GuestRules(keys, g.rules()));
        count += g.rules().size();
      }
    }
    Optional<byte[]> merged = RulesMerge.merge(input.name(), input.content(), hostName, guests);
    if (merged.isEmpty()) {
      context.err().println("svirtctl: " + input.name() + ": already declares every rule; not written");
      return;
    }
    // The result must load exactly as apply would load it before it replaces the file.
    StateLoader.load(input.name(), merged.get(), Optional.of(hostName), hostName);
    new AtomicFileWriter().write(Path.of(file), merged.get());
    context.err().println("svirtctl: " + input.name() + ": merged " + count + " rule"
        + (count == 1 ? "" : "s"));
  }
}
