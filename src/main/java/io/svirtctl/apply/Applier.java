package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.CrashSeam;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostReader;
import io.svirtctl.plan.FileOperation;
import io.svirtctl.plan.Plan;
import io.svirtctl.plan.ProfileReload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Carries a plan out: re-checks that no input changed since planning (its profiles were
 * compiled by {@link ProfileChecker} before), writes through the {@link WritePath} (journal, fingerprint check, atomic writes,
 * put back on failure), then reloads. It makes no decision the planner could make. The caller
 * holds the run lock.
 */
public final class Applier {

  private static final Set<PosixFilePermission> EXECUTABLE_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> PRIVATE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private final HostLayout layout;
  private final ApparmorParser parser;
  private final Clock clock;
  private final HostReader reader;
  private final WritePath writePath;

  public Applier(HostLayout layout, ApparmorParser parser, Clock clock) {
    this.layout = layout;
    this.parser = parser;
    this.clock = clock;
    this.reader = new HostReader(layout);
    // Armed only by a test JVM property (crash-consistency tests); inert in production.
    this.writePath = new WritePath(layout, clock).withSeam(CrashSeam.fromSystemProperty());
  }

  /**
   * Applies the plan.
   *
   * @param command the command line, recorded in the journal
   * @param reload false to skip kernel reloads ({@code --no-reload})
   * @throws OperationFailedException when an input changed since planning (nothing written), a
   *     write fails, or a reload fails (files stay as planned; {@code rollback} restores)
   */
  public ApplyResult apply(Plan plan, String command, boolean reload) {
    if (!plan.changed() && plan.files().isEmpty()) {
      return new ApplyResult(Optional.empty(), List.of(), List.of());
    }
    List<WritePath.Change> changes = changes(plan, layout.stateDir());
    // Before the first write: a symlinked directory found halfway would leave a partial run.
    writePath.check(changes);
    refuseStale(plan);
    // The profiles were compiled by the caller (Reconciler, through ProfileChecker) under this lock.
    List<String> warnings = new ArrayList<>();
    String runId =
        writePath.commit(command, changes, plan.changes().size() + " change(s) on " + plan.host());
    List<String> reloaded = new ArrayList<>();
    if (reload) {
      for (ProfileReload r : plan.reloads()) {
        try {
          parser.replace(layout.resolve(r.path()));
        } catch (OperationFailedException e) {
          throw new OperationFailedException(
              "files written (run " + runId + "), but reloading profile " + r.profileName()
                  + " failed: " + e.getMessage() + "; 'svirtctl rollback " + runId
                  + "' restores the previous files",
              e);
        }
        reloaded.add(r.profileName());
      }
    }
    return new ApplyResult(Optional.of(runId), reloaded, warnings);
  }

  /** The plan's files as changes of the write path: scripts 0755, never an empty profile. */
  private static List<WritePath.Change> changes(Plan plan, Path stateDir) {
    List<WritePath.Change> changes = new ArrayList<>();
    for (FileOperation op : plan.files()) {
      Optional<byte[]> after = op.after().map(a -> a.getBytes(StandardCharsets.UTF_8));
      // svirtctl's own records are private (0600) like the journal; scripts libvirt runs 0755.
      Optional<Set<PosixFilePermission>> mode =
          op.executable()
              ? Optional.of(EXECUTABLE_MODE)
              : op.path().startsWith(stateDir) ? Optional.of(PRIVATE_MODE) : Optional.empty();
      // Only profiles are never empty; an include such as Debian's local abstraction may be.
      changes.add(new WritePath.Change(op.path(), op.expected(), after, mode, !op.profile()));
    }
    return changes;
  }

  /**
   * Re-reads the inputs the plan does not write (domain XMLs, the parser's includes): the files it
   * writes are read and checked by the write path, right before it stages them.
   */
  private void refuseStale(Plan plan) {
    Set<Path> written = new HashSet<>();
    plan.files().forEach(op -> written.add(op.path()));
    for (Map.Entry<Path, Fingerprint> e : plan.inputs().entrySet()) {
      if (!written.contains(e.getKey())
          && !reader.fingerprint(e.getKey()).equals(e.getValue())) {
        throw stale(e.getKey());
      }
    }
  }

  private static OperationFailedException stale(Path path) {
    return new OperationFailedException(
        path + " changed since the plan was made; nothing was written, run again");
  }
}
