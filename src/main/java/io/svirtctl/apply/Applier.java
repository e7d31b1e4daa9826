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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Carries a plan out: re-checks that no input changed since planning, syntax-checks every new
 * profile text, journals each file's previous bytes, writes atomically, then reloads. It makes
 * no decision the planner could make. The caller holds the run lock.
 */
public final class Applier {

  private static final Set<PosixFilePermission> EXECUTABLE_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private final HostLayout layout;
  private final ApparmorParser parser;
  private final Clock clock;
  private final HostReader reader;
  private final ManagedPathGuard guard;
  private final AtomicFileWriter writer;
  private final CrashSeam seam;

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
      // (The hook script's and svirtctl's own directories are created as the run goes.)
      if (!op.executable() && !op.path().startsWith(layout.stateDir())) {
        writer.checkWritable(layout.resolve(op.path()));
      }
    }
    refuseStale(plan.inputs());
    List<String> warnings = new ArrayList<>(new ProfileChecker(layout, parser).check(plan.files()));
    JournalRun run = Journal.begin(layout, clock, command, seam);
    Set<Path> directories = new TreeSet<>();
    for (FileOperation op : plan.files()) {
      directories.add(layout.resolve(op.path()).getParent());
    }
    for (Path dir : directories) {
      // Temp files of a run that crashed before renaming them; the run lock is held.
      writer.removeLeftovers(dir);
    }
    int done = 0;
    try {
      for (FileOperation op : plan.files()) {
        Path real = layout.resolve(op.path());
        Optional<byte[]> current = reader.readBytes(op.path());
        run.recordBefore(op.path(), current);
        if (op.isDelete()) {
          if (current.isPresent()) {
            writer.delete(real);
          }
        } else if (op.executable()) {
          ensureDirectory(real.getParent());
          writer.write(
              real, op.after().orElseThrow().getBytes(StandardCharsets.UTF_8), EXECUTABLE_MODE);
        } else {
          if (op.path().startsWith(layout.stateDir())) {
            // svirtctl's own records (the hook's) live in subdirectories of the private state dir.
            PrivateDirectory.ensure(real.getParent());
          }
          byte[] bytes = op.after().orElseThrow().getBytes(StandardCharsets.UTF_8);
          if (op.profile()) {
            writer.write(real, bytes);
          } else {
            writer.writeMaybeEmpty(real, bytes);
          }
        }
        done++;
      }
    } catch (OperationFailedException e) {
      // Each file is whole (old or new), but the run is not: say how to undo it.
      throw new OperationFailedException(
          e.getMessage() + "; run " + run.id() + " stopped after " + done + " of "
              + plan.files().size() + " file(s), 'svirtctl rollback " + run.id()
              + "' restores them",
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

  private void refuseStale(Map<Path, Fingerprint> inputs) {
    for (Map.Entry<Path, Fingerprint> e : inputs.entrySet()) {
      if (!reader.fingerprint(e.getKey()).equals(e.getValue())) {
        throw stale(e.getKey());
      }
    }
  }

  private static OperationFailedException stale(Path path) {
    return new OperationFailedException(
        path + " changed since the plan was made; nothing was written, run again");
  }
}
