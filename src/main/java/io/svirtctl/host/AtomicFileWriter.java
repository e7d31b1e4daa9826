package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

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

  private static final Set<PosixFilePermission> NEW_FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final String TEMP_SUFFIX = ".svirtctl-tmp";
  private static final Set<OpenOption> CREATE_TEMP =
      Set.of(
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  /** The attributes a replacement keeps, read as numbers (no user or group name lookups). */
  private static final String OWNERSHIP = "unix:permissions,uid,gid";

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
    Optional<BasicFileAttributes> d = lstat(dir);
    if (d.isPresent() && d.get().isSymbolicLink()) {
      throw new OperationFailedException("refusing to write " + abs + ": " + dir + " is a symlink");
    }
    if (d.isEmpty() || !d.get().isDirectory()) {
      throw new OperationFailedException("cannot write " + abs + ": no directory " + dir);
    }
    Optional<BasicFileAttributes> f = lstat(abs);
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

  /** A path's own attributes (a symlink's, not its target's); empty when it cannot be read. */
  private static Optional<BasicFileAttributes> lstat(Path p) {
    try {
      return Optional.of(
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      // As Files.exists and Files.isDirectory: a path that cannot be examined counts as absent.
      return Optional.empty();
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
   * instead of one per file: {@link #stageAll} then {@link Staged#commit}. A reader or a crash
   * sees each target either old or new, as with {@link #write}; files renamed before a failure
   * stay new.
   *
   * @throws OperationFailedException naming the path when a write cannot be done; no temp file is
   *     left behind, and nothing is renamed when preparing any of the files fails
   */
  public void writeAll(List<Replacement> files) {
    try (Staged staged = stageAll(files)) {
      staged.commit();
    }
  }

  /**
   * Writes every new content to a synced temp file beside its target (several at a time, so the
   * file system can commit them together) and renames nothing yet: the caller may make other
   * writes durable first (the journal) and then {@link Staged#commit} in list order, or close the
   * result to drop the temp files.
   *
   * @throws OperationFailedException naming the path when a file cannot be prepared; then no temp
   *     file is left behind
   */
  public Staged stageAll(List<Replacement> files) {
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
    Staged staged = new Staged(targets);
    List<Integer> indexes = new ArrayList<>(targets.size());
    for (int i = 0; i < targets.size(); i++) {
      indexes.add(i);
    }
    try {
      SyncWorkers.forEach(indexes, i -> staged.temps[i] = stage(targets.get(i)));
    } catch (RuntimeException e) {
      staged.close();
      throw e;
    }
    // Counted once for the batch: the workers must not share the seam's counter.
    seam.fileOperationDone();
    return staged;
  }

  /** Temp files of {@link #stageAll}, synced, waiting to be renamed over their targets. */
  public final class Staged implements AutoCloseable {
    private final List<Replacement> targets;
    private final Path[] temps;
    private final List<Path> renamed = new ArrayList<>();

    private Staged(List<Replacement> targets) {
      this.targets = targets;
      this.temps = new Path[targets.size()];
    }

    /**
     * Renames every temp file over its target in order, then syncs each directory once.
     *
     * @throws OperationFailedException naming the path of the first rename or sync that fails
     */
    public void commit() {
      commit(target -> {});
    }

    /**
     * As {@link #commit()}, calling {@code beforeRename} with each target right before its rename;
     * whatever it throws stops the commit there, that target and the later ones not renamed (see
     * {@link #renamed()}).
     */
    public void commit(Consumer<Path> beforeRename) {
      Set<Path> dirs = new LinkedHashSet<>();
      for (int i = 0; i < temps.length; i++) {
        Path abs = targets.get(i).target();
        beforeRename.accept(abs);
        try {
          move(temps[i], abs);
        } catch (IOException e) {
          throw new OperationFailedException("cannot write " + abs + ": " + DurableFiles.reason(e), e);
        }
        temps[i] = null;
        renamed.add(abs);
        seam.fileOperationDone();
        dirs.add(abs.getParent());
      }
      for (Path dir : dirs) {
        try {
          DurableFiles.forceDirectory(dir);
        } catch (IOException e) {
          throw new OperationFailedException(
              "cannot sync directory " + dir + ": " + DurableFiles.reason(e), e);
        }
        seam.fileOperationDone();
      }
    }

    /** The targets renamed so far, in order (all of them once {@link #commit} returned). */
    public List<Path> renamed() {
      return List.copyOf(renamed);
    }

    /** Deletes the temp files not renamed. */
    @Override
    public void close() {
      for (int i = 0; i < temps.length; i++) {
        deleteQuietly(temps[i]);
        temps[i] = null;
      }
    }
  }

  /**
   * Writes a replacement's content to a synced temp file beside its target, with the target's
   * owner and group and the wanted mode, and returns it; on failure nothing is left behind.
   */
  private Path stage(Replacement r) {
    Path abs = r.target();
    Path dir = abs.getParent();
    Optional<Map<String, Object>> old = ownership(abs);
    Set<PosixFilePermission> mode =
        r.mode().orElse(old.isPresent() ? permissions(old.get()) : NEW_FILE_MODE);
    Path temp = null;
    try {
      // A dot file: apparmor_parser skips dot files when it loads a directory, so a temp file
      // left by a crash is never taken for a profile. Created here with the wanted mode (less the
      // umask) in one open, O_EXCL and O_NOFOLLOW: a name that exists is never reused.
      FileChannel ch = null;
      while (ch == null) {
        Path name =
            dir.resolve(
                "." + abs.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong())
                    + TEMP_SUFFIX);
        try {
          ch = FileChannel.open(name, CREATE_TEMP, PosixFilePermissions.asFileAttribute(mode));
          temp = name;
        } catch (FileAlreadyExistsException taken) {
          // Another name; the existing file is not ours to touch.
        }
      }
      try (FileChannel open = ch) {
        DurableFiles.writeFully(open, r.content());
        // Owner, group and mode before the fsync, so that it makes them durable with the bytes.
        // Numeric ids: owner and group names would cost a passwd and a group lookup per file.
        Map<String, Object> mine =
            Files.readAttributes(temp, OWNERSHIP, LinkOption.NOFOLLOW_LINKS);
        boolean chowned = false;
        if (old.isPresent()) {
          Map<String, Object> a = old.get();
          if (!mine.get("uid").equals(a.get("uid"))) {
            Files.setAttribute(temp, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
            chowned = true;
          }
          if (!mine.get("gid").equals(a.get("gid"))) {
            Files.setAttribute(temp, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
            chowned = true;
          }
        }
        // The umask may have taken bits, and a chown clears set-id bits: then the exact mode.
        if (chowned || !permissions(mine).equals(mode)) {
          setMode(temp, mode);
        }
        open.force(true);
      }
      Path staged = temp;
      temp = null;
      return staged;
    } catch (IOException | UnsupportedOperationException e) {
      throw new OperationFailedException("cannot write " + abs + ": " + DurableFiles.reason(e), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // The write already failed and says so; a leftover temp file is swept by the next run.
    }
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
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(abs, ".*" + TEMP_SUFFIX)) {
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

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename atomically", e);
    }
  }

  /** A file's permissions, uid and gid ({@link #OWNERSHIP}); empty when it does not exist. */
  private static Optional<Map<String, Object>> ownership(Path p) {
    try {
      return Optional.of(Files.readAttributes(p, OWNERSHIP, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("cannot read attributes of " + p + ": " + DurableFiles.reason(e), e);
    }
  }

  private static void setMode(Path temp, Set<PosixFilePermission> mode) throws IOException {
    Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setPermissions(mode);
  }

  @SuppressWarnings("unchecked")
  private static Set<PosixFilePermission> permissions(Map<String, Object> ownership) {
    return (Set<PosixFilePermission>) ownership.get("permissions");
  }
}
