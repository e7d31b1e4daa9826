package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.host.AtomicFileWriter;
import io.svirtctl.host.CrashSeam;
import io.svirtctl.host.FileStamp;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostReader;
import io.svirtctl.host.ManagedPaths;
import io.svirtctl.host.RunLock;
import io.svirtctl.host.StagedFiles;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The one way svirtctl changes a file on the host: apply, rollback and profile-mode (and the
 * hook) all write through it, as one journaled run each.
 *
 * <p>Use, with the {@link RunLock} held (the write path checks the lock file is still the
 * locked one before it starts and before its first rename):
 *
 * <pre>{@code
 * WritePath path = new WritePath(layout, clock);
 * List<WritePath.Change> changes = List.of(
 *     WritePath.Change.write(file, fingerprintThePlanSaw, newBytes),
 *     WritePath.Change.delete(other, fingerprintThePlanSaw));
 * path.check(changes);                           // optional: refuse early, before other work
 * String runId = path.commit("apply -f x.yaml", changes, "2 change(s)");
 * }</pre>
 *
 * <p>What {@link #commit} guarantees, in order:
 *
 * <ol>
 *   <li>every path is one svirtctl manages (qemu.conf, the templates, the site rules, guest
 *       profiles, the hook script and record; with {@link #allowingProfiles()} also any profile
 *       file under the AppArmor directory), else nothing is written;
 *   <li>every directory from the root down to the file is a real directory, never a symbolic link
 *       (each one examined without following links), and the file itself is a regular file or
 *       absent; missing directories of the hook script (0755) and of svirtctl's own records (0700)
 *       are created, with those modes whatever the umask;
 *   <li>each file is read immediately before staging, and its bytes must have the fingerprint the
 *       caller planned with; those very bytes are what the journal keeps;
 *   <li>the new contents are staged in synced temp files while the journal records the previous
 *       bytes durably; right before each rename, the file's size, times, inode and device are
 *       compared with what they were when it was read;
 *   <li>any difference or failure (a changed file, an immutable file, a full disk) stops the run
 *       before that rename, puts back the files this run already replaced or deleted, and marks
 *       the run {@code rolled_back}: the caller's exit 1 means nothing is half-applied.
 * </ol>
 */
public final class WritePath {

  /**
   * One file to change.
   *
   * @param path the file as seen inside the root
   * @param expected the fingerprint of the bytes the caller decided on ({@code absent} for a file
   *     that should not exist yet); empty for a file svirtctl never reads (a guest's {@code
   *     .files} list, deleted with its profile): whatever it holds is journaled
   * @param after the new bytes, or empty to delete the file
   * @param mode the exact mode to give it (a script libvirt runs is 0755); empty to keep the old
   *     file's mode, or 0644 for a new file
   * @param mayBeEmpty true for a file that may be written empty (an include Debian ships empty);
   *     a profile never is
   */
  public record Change(
      Path path,
      Optional<Fingerprint> expected,
      Optional<byte[]> after,
      Optional<Set<PosixFilePermission>> mode,
      boolean mayBeEmpty) {

    public Change {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(after, "after");
      mode = mode.map(Set::copyOf);
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException("a managed path must be absolute: " + path);
      }
      path = path.normalize();
    }

    /** Replaces or creates a file, keeping its mode (0644 when new); never written empty. */
    public static Change write(Path path, Fingerprint expected, byte[] after) {
      return new Change(path, Optional.of(expected), Optional.of(after), Optional.empty(), false);
    }

    /** Deletes a file. */
    public static Change delete(Path path, Fingerprint expected) {
      return new Change(path, Optional.of(expected), Optional.empty(), Optional.empty(), true);
    }

    boolean isDelete() {
      return after.isEmpty();
    }
  }

  private final HostLayout layout;
  private final Clock clock;
  private final CrashSeam seam;
  private final WriteTargets targets;
  private final boolean anyProfile;
  private final HostReader reader;
  private final AtomicFileWriter writer;
  /** Runs after staging and journaling, before the first rename; a test's way in. */
  private final Runnable beforeRenames;

  /** A write path for the managed files of {@code layout}. */
  public WritePath(HostLayout layout, Clock clock) {
    this(layout, clock, CrashSeam.disarmed(), false);
  }

  WritePath(HostLayout layout, Clock clock, CrashSeam seam, boolean anyProfile) {
    this(layout, clock, seam, anyProfile, () -> {});
  }

  private WritePath(
      HostLayout layout, Clock clock, CrashSeam seam, boolean anyProfile, Runnable beforeRenames) {
    this.beforeRenames = beforeRenames;
    this.layout = Objects.requireNonNull(layout, "layout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.seam = Objects.requireNonNull(seam, "seam");
    this.anyProfile = anyProfile;
    this.reader = new HostReader(layout);
    this.writer = new AtomicFileWriter(seam);
    this.targets =
        new WriteTargets(layout, new ManagedPathGuard(new ManagedPaths(layout)), anyProfile, writer);
  }

  /** The same write path, reporting each file operation to {@code seam} (crash tests). */
  WritePath withSeam(CrashSeam seam) {
    return new WritePath(layout, clock, seam, anyProfile, beforeRenames);
  }

  /** The same write path, also accepting any profile file under the AppArmor directory. */
  public WritePath allowingProfiles() {
    return new WritePath(layout, clock, seam, true, beforeRenames);
  }

  /**
   * The same write path, running {@code action} once the files are staged and journaled, right
   * before the first rename (tests: a file changed in that window).
   */
  WritePath withBeforeRenames(Runnable action) {
    return new WritePath(layout, clock, seam, anyProfile, action);
  }

  /**
   * Refuses, before anything is written, a path svirtctl does not manage, a symbolic link or
   * non-directory among its ancestors, or a target that is not a regular file; creates the
   * missing directories of the hook script and of svirtctl's records.
   *
   * @throws OperationFailedException naming the first path refused
   */
  public void check(List<Change> changes) {
    Set<Path> checkedDirs = new HashSet<>();
    for (Change c : changes) {
      targets.check(c, checkedDirs);
    }
  }

  /**
   * Refuses a path svirtctl does not manage (see the class comment).
   *
   * @throws OperationFailedException naming it
   */
  public void refuseUnmanaged(Path path) {
    targets.refuseUnmanaged(path);
  }

  /**
   * Carries the changes out as one journaled run (see the class comment), completes it with
   * {@code summary} and returns its id.
   *
   * @param command what the user ran, for {@code history}
   * @throws OperationFailedException when a file changed since it was planned (nothing written,
   *     no run), or when the run failed part-way (the files it changed are put back and the run is
   *     marked rolled back; if putting back fails too, the message says how to roll back)
   */
  public String commit(String command, List<Change> changes, String summary) {
    check(changes);
    Map<Path, HostReader.Stamped> read = new LinkedHashMap<>();
    for (Change c : changes) {
      HostReader.Stamped now = reader.readStamped(c.path());
      if (c.expected().isPresent() && !Fingerprint.of(now.bytes()).equals(c.expected().get())) {
        throw new OperationFailedException(
            c.path() + " changed since the plan was made; nothing was written, run again");
      }
      read.put(c.path(), now);
    }
    RunLock.verifyHeld(layout);
    JournalRun run = Journal.begin(layout, clock, command, seam);
    removeLeftovers(changes);
    List<Path> done = new ArrayList<>();
    try {
      write(run, changes, read, done);
      for (Change c : changes) {
        if (c.isDelete() && read.get(c.path()).bytes().isPresent()) {
          unchangedSinceRead(c.path(), read);
          writer.delete(layout.resolve(c.path()));
          done.add(c.path());
        }
      }
    } catch (OperationFailedException e) {
      throw PutBack.afterFailure(layout, run, read, done, e);
    }
    run.complete(summary);
    return run.id();
  }

  /** Stages the new contents while the journal records, then renames: journal first, always. */
  private void write(
      JournalRun run,
      List<Change> changes,
      Map<Path, HostReader.Stamped> read,
      List<Path> done) {
    List<AtomicFileWriter.Replacement> writes = new ArrayList<>();
    Map<Path, Path> logical = new LinkedHashMap<>();
    for (Change c : changes) {
      if (!c.isDelete()) {
        Path real = layout.resolve(c.path());
        writes.add(
            new AtomicFileWriter.Replacement(
                real, c.after().orElseThrow(), c.mode(), c.mayBeEmpty()));
        logical.put(real.toAbsolutePath().normalize(), c.path());
      }
    }
    Map<Path, Optional<byte[]>> before = new LinkedHashMap<>();
    read.forEach((path, stamped) -> before.put(path, stamped.bytes()));
    FutureTask<StagedFiles> staging = new FutureTask<>(() -> writer.stageAll(writes));
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
    try (StagedFiles staged = await(staging)) {
      beforeRenames.run();
      RunLock.verifyHeld(layout);
      try {
        staged.commit(real -> unchangedSinceRead(logical.get(real), read));
      } finally {
        staged.renamed().forEach(real -> done.add(logical.get(real)));
      }
    }
  }

  /** Refuses to replace a file that was touched since this run read it. */
  private void unchangedSinceRead(Path path, Map<Path, HostReader.Stamped> read) {
    Path real = layout.resolve(path);
    if (!FileStamp.of(real).equals(read.get(path).stamp())) {
      throw new OperationFailedException(
          real + " changed while svirtctl was writing; it was left as it is");
    }
  }

  /** Temp files of a run that crashed before renaming them; the run lock is held. */
  private void removeLeftovers(List<Change> changes) {
    Set<Path> directories = new TreeSet<>();
    for (Change c : changes) {
      directories.add(layout.resolve(c.path()).getParent());
    }
    for (Path dir : new ManagedPaths(layout).writtenDirectories()) {
      directories.add(layout.resolve(dir));
    }
    for (Path dir : directories) {
      writer.removeLeftovers(dir);
    }
  }

  private static StagedFiles await(FutureTask<StagedFiles> staging) {
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
}
