package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes and deletes managed files so that a reader (libvirt, apparmor_parser, a crash) only
 * ever sees the old bytes or the new ones (DESIGN.md §5).
 *
 * <p>A write goes to a temp file in the target's directory, is synced, gets the old file's
 * owner, group and mode (0644 for a new file), is renamed over the target, and the directory is
 * synced. It never writes through a symlink, into a symlinked directory, or an empty file: libvirt
 * regenerates a 0-byte guest profile from the template, losing what it held.
 */
public final class AtomicFileWriter {


  private final CrashSeam seam;

  /** A writer for production use: its crash seam is disarmed. */
  public AtomicFileWriter() {
    this(CrashSeam.disarmed());
  }

  /**
   * A writer that reports each file operation to {@code seam}, so crash tests can halt between
   * any two of them.
   */
  public AtomicFileWriter(CrashSeam seam) {
    this.seam = seam;
  }

  /**
   * One file of {@link #writeAll}: its path and its complete new content.
   *
   * @param target the file to replace or create
   * @param content its new bytes
   * @param mode the exact mode to give it (a script libvirt runs must stay executable); empty to
   *     keep the old file's mode, or 0644 for a new file
   * @param mayBeEmpty true for files that may legitimately be empty (an include file Debian ships
   *     empty); a profile never is
   */
  public record Replacement(
      Path target, byte[] content, Optional<Set<PosixFilePermission>> mode, boolean mayBeEmpty) {
    public Replacement {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(content, "content");
      mode = mode.map(Set::copyOf);
    }

    /** A replacement keeping the old mode, never empty. */
    public Replacement(Path target, byte[] content) {
      this(target, content, Optional.empty(), false);
    }
  }

  /**
   * Checks that {@code target} may be written: not a symlink, not a directory, its directory
   * exists and is not a symlink.
   *
   * @throws OperationFailedException naming the path otherwise
   */
  public void checkWritable(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir == null) {
      throw new OperationFailedException("cannot write " + abs + ": no parent directory");
    }
    // One lstat for the directory and one for the file: this runs for every file of a run.
    Optional<BasicFileAttributes> d = Lstat.of(dir);
    if (d.isPresent() && d.get().isSymbolicLink()) {
      throw new OperationFailedException("refusing to write " + abs + ": " + dir + " is a symlink");
    }
    if (d.isEmpty() || !d.get().isDirectory()) {
      throw new OperationFailedException("cannot write " + abs + ": no directory " + dir);
    }
    Optional<BasicFileAttributes> f = Lstat.of(abs);
    if (f.isEmpty()) {
      return;
    }
    if (f.get().isSymbolicLink()) {
      throw new OperationFailedException("refusing to write " + abs + ": it is a symlink");
    }
    if (f.get().isDirectory()) {
      throw new OperationFailedException("refusing to write " + abs + ": it is a directory");
    }
    if (!f.get().isRegularFile()) {
      throw new OperationFailedException("refusing to write " + abs + ": not a regular file");
    }
  }

  /**
   * Replaces (or creates) {@code target} with {@code content}, atomically.
   *
   * @throws OperationFailedException naming the path when the write cannot be done; the target is
   *     then unchanged and no temp file is left behind
   */
  public void write(Path target, byte[] content) {
    writeAll(List.of(new Replacement(target, content)));
  }

  /**
   * Like {@link #write(Path, byte[])}, but the file gets exactly {@code mode} (a script libvirt
   * runs must stay executable whatever mode it had).
   */
  public void write(Path target, byte[] content, Set<PosixFilePermission> mode) {
    writeAll(List.of(new Replacement(target, content, Optional.of(mode), false)));
  }

  /**
   * Replaces (or creates) several files, each atomically, with one directory sync per directory
   * instead of one per file: {@link #stageAll} then {@link StagedFiles#commit}. A reader or a crash
   * sees each target either old or new, as with {@link #write}; files renamed before a failure
   * stay new.
   *
   * @throws OperationFailedException naming the path when a write cannot be done; no temp file is
   *     left behind, and nothing is renamed when preparing any of the files fails
   */
  public void writeAll(List<Replacement> files) {
    try (StagedFiles staged = stageAll(files)) {
      staged.commit();
    }
  }

  /**
   * Writes every new content to a synced temp file beside its target (several at a time, so the
   * file system can commit them together) and renames nothing yet: the caller may make other
   * writes durable first (the journal) and then {@link StagedFiles#commit} in list order, or close the
   * result to drop the temp files.
   *
   * @throws OperationFailedException naming the path when a file cannot be prepared; then no temp
   *     file is left behind
   */
  public StagedFiles stageAll(List<Replacement> files) {
    List<Replacement> targets = new ArrayList<>(files.size());
    for (Replacement r : files) {
      Path abs = r.target().toAbsolutePath().normalize();
      checkWritable(abs);
      if (r.content().length == 0 && !r.mayBeEmpty()) {
        throw new OperationFailedException(
            "refusing to write an empty " + abs
                + " (libvirt would regenerate it from the template)");
      }
      targets.add(new Replacement(abs, r.content(), r.mode(), r.mayBeEmpty()));
    }
    StagedFiles staged = new StagedFiles(targets, seam);
    List<Integer> indexes = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      indexes.add(i);
    }
    try {
      SyncWorkers.forEach(indexes, i -> staged.temps[i] = TempFile.stage(targets.get(i)));
    } catch (RuntimeException e) {
      staged.close();
      throw e;
    }
    // Counted once for the batch: the workers must not share the seam's counter.
    seam.fileOperationDone();
    return staged;
  }

  /**
   * Deletes {@code target} if it exists; the directory is synced afterwards.
   *
   * @return whether a file was deleted
   * @throws OperationFailedException naming the path for a symlink, a directory or a failure
   */
  public boolean delete(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    checkWritable(abs);
    try {
      boolean deleted = Files.deleteIfExists(abs);
      seam.fileOperationDone();
      if (deleted) {
        DurableFiles.forceDirectory(abs.getParent());
        seam.fileOperationDone();
      }
      return deleted;
    } catch (IOException e) {
      throw new OperationFailedException("cannot delete " + abs + ": " + DurableFiles.reason(e), e);
    }
  }

  /**
   * Removes temp files that an interrupted write left in {@code dir} (a crash between creating a
   * temp file and renaming it). Call it only under the run lock, so no other write is in flight.
   *
   * @return how many were removed
   * @throws OperationFailedException naming the directory when it cannot be listed or cleaned
   */
  public int removeLeftovers(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(abs, ".*" + TempFile.SUFFIX)) {
      for (Path temp : temps) {
        if (Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(temp);
          removed++;
        }
      }
      if (removed > 0) {
        DurableFiles.forceDirectory(abs);
      }
    } catch (IOException e) {
      throw new OperationFailedException(
          "cannot remove leftover temp files in " + abs + ": " + DurableFiles.reason(e), e);
    }
    return removed;
  }

}
