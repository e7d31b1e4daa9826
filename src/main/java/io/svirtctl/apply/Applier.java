package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.AtomicFileWriter;
import io.svirtctl.host.CrashSeam;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostReader;
import io.svirtctl.host.ManagedPaths;
import io.svirtctl.host.PrivateDirectory;
import io.svirtctl.plan.FileOperation;
import io.svirtctl.plan.Plan;
import io.svirtctl.plan.ProfileReload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Carries a plan out: re-checks that no input changed since planning (its profiles were
 * compiled by {@link ProfileChecker} before), journals each file's previous bytes, writes atomically, then reloads. It makes
 * no decision the planner could make. The caller holds the run lock.
 *
 * <p>Writes are batched so the file system can commit them together: the new contents go to
 * synced temp files while the journal records the previous bytes, and the first rename waits
 * until both are durable. Every managed file is old or new at every instant.
 */
public final class Applier {

  private static final Set<PosixFilePermission> EXECUTABLE_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private final HostLayout layout;
  private final ApparmorParser parser;
  private final Clock clock;
  private final HostReader reader;
  private final ManagedPathGuard guard;
  private final CrashSeam seam;
  private final AtomicFileWriter writer;

  public Applier(HostLayout layout, ApparmorParser parser, Clock clock) {
    this.layout = layout;
    this.parser = parser;
    this.clock = clock;
    this.reader = new HostReader(layout);
    this.guard = new ManagedPathGuard(new ManagedPaths(layout));
    // Armed only by a test JVM property (crash-consistency tests); inert in production.
    this.seam = CrashSeam.fromSystemProperty();
    this.writer = new AtomicFileWriter(seam);
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
    for (FileOperation op : plan.files()) {
      guard.check(op.path());
      // Before the first write: a symlinked directory found halfway would leave a partial run.
      // (The hook script's and svirtctl's own directories are created below.)
      if (!op.executable() && !op.path().startsWith(layout.stateDir())) {
        writer.checkWritable(layout.resolve(op.path()));
      }
    }
    Map<Path, byte[]> current = refuseStale(plan.inputs());
    // The profiles were compiled by the caller (Reconciler, through ProfileChecker) under this lock.
    List<String> warnings = new ArrayList<>();
    List<AtomicFileWriter.Replacement> writes = replacements(plan);
    JournalRun run = Journal.begin(layout, clock, command, seam);
    removeLeftovers(plan);
    // The bytes read for the fingerprint check are the previous bytes: each file is read once.
    Map<Path, Optional<byte[]>> before = new LinkedHashMap<>();
    for (FileOperation op : plan.files()) {
      byte[] known = current.get(op.path());
      before.put(op.path(), known != null ? Optional.of(known) : reader.readBytes(op.path()));
    }
    try {
      write(run, writes, before);
      for (FileOperation op : plan.files()) {
        if (op.isDelete() && before.get(op.path()).isPresent()) {
          writer.delete(layout.resolve(op.path()));
        }
      }
    } catch (OperationFailedException e) {
      // Each file is whole (old or new), but the run is not: say how to undo it.
      throw new OperationFailedException(
          e.getMessage() + "; run " + run.id() + " stopped before it finished, 'svirtctl rollback "
              + run.id() + "' restores its files",
          e);
    }
    run.complete(plan.changes().size() + " change(s) on " + plan.host());
    List<String> reloaded = new ArrayList<>();
    if (reload) {
      for (ProfileReload r : plan.reloads()) {
        try {
          parser.replace(layout.resolve(r.path()));
        } catch (OperationFailedException e) {
          throw new OperationFailedException(
              "files written (run " + run.id() + "), but reloading profile " + r.profileName()
                  + " failed: " + e.getMessage() + "; 'svirtctl rollback " + run.id()
                  + "' restores the previous files",
              e);
        }
        reloaded.add(r.profileName());
      }
    }
    return new ApplyResult(Optional.of(run.id()), reloaded, warnings);
  }

  /** The new contents, with the directories they need: scripts 0755, never an empty profile. */
  private List<AtomicFileWriter.Replacement> replacements(Plan plan) {
    List<AtomicFileWriter.Replacement> writes = new ArrayList<>();
    for (FileOperation op : plan.files()) {
      if (op.isDelete()) {
        continue;
      }
      Path real = layout.resolve(op.path());
      byte[] bytes = op.after().orElseThrow().getBytes(StandardCharsets.UTF_8);
      if (op.executable()) {
        ensureDirectory(real.getParent());
        writes.add(
            new AtomicFileWriter.Replacement(real, bytes, Optional.of(EXECUTABLE_MODE), false));
      } else {
        if (op.path().startsWith(layout.stateDir())) {
          // svirtctl's own records (the hook's) live in subdirectories of the private state dir.
          PrivateDirectory.ensure(real.getParent());
        }
        // Only profiles are never empty; an include such as Debian's local abstraction may be.
        writes.add(new AtomicFileWriter.Replacement(real, bytes, Optional.empty(), !op.profile()));
      }
    }
    return writes;
  }

  /** Temp files of a run that crashed before renaming them; the run lock is held. */
  private void removeLeftovers(Plan plan) {
    Set<Path> directories = new TreeSet<>();
    for (FileOperation op : plan.files()) {
      directories.add(layout.resolve(op.path()).getParent());
    }
    for (Path dir : new ManagedPaths(layout).writtenDirectories()) {
      directories.add(layout.resolve(dir));
    }
    for (Path dir : directories) {
      writer.removeLeftovers(dir);
    }
  }

  /** Stages the new contents while the journal records, then renames: journal first, always. */
  private void write(
      JournalRun run,
      List<AtomicFileWriter.Replacement> writes,
      Map<Path, Optional<byte[]>> before) {
    FutureTask<AtomicFileWriter.Staged> staging = new FutureTask<>(() -> writer.stageAll(writes));
    Thread stager = new Thread(null, staging, "svirtctl-stage", 512 * 1024);
    stager.setDaemon(true);
    stager.start();
    try {
      run.recordAllBefore(before);
    } catch (RuntimeException e) {
      try {
        // Closing drops the temp files: nothing is renamed without its journal entry.
        await(staging).close();
      } catch (RuntimeException staged) {
        e.addSuppressed(staged);
      }
      throw e;
    }
    try (AtomicFileWriter.Staged staged = await(staging)) {
      staged.commit();
    }
  }

  /** Creates a script's missing directories (libvirt's {@code hooks/qemu.d/} often is). */
  private static void ensureDirectory(Path dir) {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new OperationFailedException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Re-reads every input; returns the bytes of those that exist, by path. */
  private Map<Path, byte[]> refuseStale(Map<Path, Fingerprint> inputs) {
    Map<Path, byte[]> current = new HashMap<>();
    for (Map.Entry<Path, Fingerprint> e : inputs.entrySet()) {
      Optional<byte[]> bytes = reader.readBytes(e.getKey());
      if (!Fingerprint.of(bytes).equals(e.getValue())) {
        throw stale(e.getKey());
      }
      bytes.ifPresent(b -> current.put(e.getKey(), b));
    }
    return current;
  }

  private static AtomicFileWriter.Staged await(FutureTask<AtomicFileWriter.Staged> staging) {
    try {
      return staging.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new OperationFailedException("cannot write files: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while writing files", e);
    }
  }

  private static OperationFailedException stale(Path path) {
    return new OperationFailedException(
        path + " changed since the plan was made; nothing was written, run again");
  }
}
