package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.host.AtomicFileWriter;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a {@link WritePath} run does when it fails part-way: puts back what it had changed. */
final class PutBack {

  private PutBack() {}

  /**
   * Puts back the files this run replaced or deleted, from the bytes it journaled, and marks the
   * run rolled back; returns the error to throw.
   */
  static OperationFailedException afterFailure(
      HostLayout layout,
      JournalRun run,
      Map<Path, HostReader.Stamped> read,
      List<Path> done,
      OperationFailedException cause) {
    try {
      List<AtomicFileWriter.Replacement> restores = new ArrayList<>();
      for (Path p : done) {
        read.get(p)
            .bytes()
            .ifPresent(
                b ->
                    restores.add(
                        new AtomicFileWriter.Replacement(
                            layout.resolve(p), b, Optional.empty(), true)));
      }
      new AtomicFileWriter().writeAll(restores);
      for (Path p : done) {
        if (read.get(p).bytes().isEmpty()) {
          new AtomicFileWriter().delete(layout.resolve(p));
        }
      }
      run.rolledBack("stopped: " + cause.getMessage() + "; put back " + done.size() + " file(s)");
    } catch (OperationFailedException again) {
      cause.addSuppressed(again);
      return new OperationFailedException(
          cause.getMessage() + "; run " + run.id() + " stopped after " + done.size()
              + " file(s) and could not put them back (" + again.getMessage()
              + "), 'svirtctl rollback " + run.id() + "' restores them",
          cause);
    }
    return new OperationFailedException(
        cause.getMessage() + "; run " + run.id() + " stopped and put back the " + done.size()
            + " file(s) it had changed, nothing is changed",
        cause);
  }
}
