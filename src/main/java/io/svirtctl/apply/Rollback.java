package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.AtomicFileWriter;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostReader;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.ManagedPaths;
import io.svirtctl.host.RunLock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores the files of one journaled run byte for byte. The rollback is itself a journaled
 * run, so it can be rolled back too.
 */
public final class Rollback {

  private final HostLayout layout;
  private final ApparmorParser parser;
  private final Clock clock;

  public Rollback(HostLayout layout, ApparmorParser parser, Clock clock) {
    this.layout = layout;
    this.parser = parser;
    this.clock = clock;
  }

  /**
   * Rolls back run {@code id}, or the newest run when empty.
   *
   * @return the rolled-back run's id and the new run's result
   */
  public Result run(Optional<String> id, boolean reload) {
    try (RunLock lock = RunLock.acquire(layout)) {
      RunRecord target =
          id.map(i -> Journal.load(layout, i))
              .orElseGet(
                  () ->
                      Journal.list(layout).stream()
                          .findFirst()
                          .orElseThrow(
                              () -> new OperationFailedException("no runs in the journal to roll back")));
      HostReader reader = new HostReader(layout);
      AtomicFileWriter writer = new AtomicFileWriter();
      KernelStatus kernel = KernelStatus.read(layout);
      JournalRun run = Journal.begin(layout, clock, "rollback " + target.id());
      // A run that crashed may have left temp files beside the files it was writing, also
      // beside files it had not journaled yet (new contents are staged while it journals).
      new ManagedPaths(layout).writtenDirectories().stream()
          .map(layout::resolve)
          .forEach(writer::removeLeftovers);
      List<JournalEntry> entries = new ArrayList<>(target.files());
      Collections.reverse(entries);
      Map<Path, Optional<byte[]>> current = new LinkedHashMap<>();
      Map<Path, Optional<byte[]>> before = new LinkedHashMap<>();
      for (JournalEntry e : entries) {
        before.put(e.path(), target.before(e));
        current.put(e.path(), reader.readBytes(e.path()));
      }
      // Journal what is there now, durably, before the first file is put back.
      run.recordAllBefore(current);
      List<AtomicFileWriter.Replacement> writes = new ArrayList<>();
      for (Map.Entry<Path, Optional<byte[]>> e : before.entrySet()) {
        e.getValue()
            .ifPresent(
                bytes ->
                    writes.add(
                        new AtomicFileWriter.Replacement(
                            layout.resolve(e.getKey()), bytes, Optional.empty(), true)));
      }
      writer.writeAll(writes);
      for (Map.Entry<Path, Optional<byte[]>> e : before.entrySet()) {
        if (e.getValue().isEmpty() && current.get(e.getKey()).isPresent()) {
          writer.delete(layout.resolve(e.getKey()));
        }
      }
      List<Path> restored = List.copyOf(before.keySet());
      run.complete("rollback of " + target.id() + ": " + restored.size() + " file(s)");
      List<String> reloaded = new ArrayList<>();
      if (reload) {
        for (Path p : restored) {
          String name = p.getFileName().toString();
          if (kernel.enabled()
              && kernel.loadedProfiles().containsKey(name)
              && before.get(p).isPresent()) {
            parser.replace(layout.resolve(p));
            reloaded.add(name);
          }
        }
      }
      return new Result(target.id(), run.id(), restored, reloaded);
    }
  }

  /** What a rollback restored. */
  public record Result(String rolledBack, String runId, List<Path> restored, List<String> reloaded) {
    public Result {
      restored = List.copyOf(restored);
      reloaded = List.copyOf(reloaded);
    }
  }
}
