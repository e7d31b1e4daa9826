package io.svirtctl.apply;

import io.svirtctl.TestHosts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A second process for {@link JournalTest}: journals the previous bytes of one file for the root
 * given as its argument, prints the run id, then halts without completing the run, as a run killed
 * mid-apply would.
 */
public final class CrashingRunMain {

  private CrashingRunMain() {}

  public static void main(String[] args) {
    JournalRun run = Journal.begin(TestHosts.layout(Path.of(args[0])), Clock.systemUTC(), "apply");
    run.recordBefore(Path.of(args[1]), Optional.of(args[2].getBytes(StandardCharsets.UTF_8)));
    System.out.println(run.id());
    System.out.flush();
    Runtime.getRuntime().halt(3);
  }
}
