package io.svirtctl.cli;

import io.svirtctl.Uuid;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.learn.DeclaredState;
import io.svirtctl.learn.Learner;
import io.svirtctl.learn.LearnReport;
import io.svirtctl.learn.LineDate;
import io.svirtctl.learn.LogSources;
import io.svirtctl.learn.RecordParser;
import io.svirtctl.learn.RootFacts;
import io.svirtctl.learn.Since;
import io.svirtctl.plan.GuestResolver;
import io.svirtctl.render.LearnFormat;
import io.svirtctl.render.LearnRenderer;
import io.svirtctl.state.HostState;
import io.svirtctl.state.StateLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code svirtctl learn}: the rules a guest's AppArmor events ask for, as declared state. */
@Command(
    name = "learn",
    mixinStandardHelpOptions = true,
    description = "Propose the rules that AppArmor's logged events of libvirt guests ask for.")
final class LearnCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;
  @Spec private CommandSpec spec;
  @Mixin private HostOptions hostOptions;
  @Mixin private LearnOptions options;

  @Override
  public Integer call() {
    CliContext context = root.context();
    if (options.write && (options.file == null || options.file.equals("-"))) {
      throw new ParameterException(spec.commandLine(), "--write needs -f STATE.yaml (a file)");
    }
    HostLayout layout = hostOptions.layout(context.env());
    Clock clock = Clock.systemUTC();
    Optional<StateInput> input = Optional.ofNullable(options.file)
        .map(f -> StateInput.read(f, context.in()));
    Optional<HostState> state = input.map(i -> StateLoader.load(
        i.name(), i.content(), Optional.ofNullable(options.host), StateInput.hostname()));
    GuestResolver resolver =
        new GuestResolver(SnapshotReader.domains(layout), SnapshotReader.running(layout));
    // The system's zone only when a date needs it: finding it loads the time-zone database.
    Learner learner = new Learner(new RecordParser(new LineDate(clock, ZoneId::systemDefault)),
        guests(resolver), since(clock));
    List<String> logs = new ArrayList<>(options.logs);
    if (logs.isEmpty()) {
      Path found = LogSources.firstDefault(hostOptions.root).orElseThrow(() ->
          new ParameterException(spec.commandLine(), "no log found under " + hostOptions.root
              + " (" + LogSources.DEFAULTS + "); name one with --log"));
      logs.add(found.toString());
    }
    logs.forEach(log -> LogSources.read(log, context.in(), learner));
    LearnReport report = learner.report(
        new DeclaredState(state, resolver::nameOf, RootFacts.tunables(hostOptions.root)));
    LearnRenderer.render(report, options.format, context.out());
    if (options.write) {
      StateWrite.merge(options.file, input.orElseThrow(), options.host, report, context);
    }
    return ExitCodes.OK;
  }

  private Set<Uuid> guests(GuestResolver resolver) {
    Set<Uuid> out = new HashSet<>();
    for (String g : options.guests) {
      out.add(resolver.resolve(g).orElseThrow(() -> new ParameterException(spec.commandLine(),
          "--guest " + g + ": not a UUID, and no guest of that name is defined or running on"
              + " this host" + resolver.hint(g))));
    }
    return out;
  }

  private OptionalLong since(Clock clock) {
    if (options.since == null) {
      return OptionalLong.empty();
    }
    ZoneId zone = ZoneId.systemDefault();
    return OptionalLong.of(Since.parse(options.since, clock, zone).orElseThrow(() ->
        new ParameterException(spec.commandLine(), "--since " + options.since
            + ": expected a date (2026-12-02), a date-time (2026-12-02T10:00:00Z), @SECONDS"
            + " or a span before now (90m, 12h, 7d)")));
  }
}
