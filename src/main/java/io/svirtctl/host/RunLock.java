package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-run-at-a-time lock of a root: an exclusive lock on {@code <stateDir>/lock} held while a
 * run reads, plans and writes. A second run waits up to {@link HostLayout#lockTimeout()} and then
 * fails clearly; the lock is released when the process ends, so a crashed run never leaves the root
 * locked.
 */
public final class RunLock implements AutoCloseable {

  private static final long POLL_MILLIS = 100;

  private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  private static final Path FDS = Path.of("/proc/self/fd");
  /** The locks this process holds, by lock file, for {@link #verifyHeld}. */
  private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();

  private final FileChannel channel;
  private final FileLock lock;
  private final Path lockFile;
  private final Optional<Path> descriptor;

  private RunLock(FileChannel channel, FileLock lock, Path lockFile, Optional<Path> descriptor) {
    this.channel = channel;
    this.lock = lock;
    this.lockFile = lockFile;
    this.descriptor = descriptor;
  }

  /**
   * Creates the state directory (mode 0700) when missing, after checking it and its ancestors
   * ({@link PrivateDirectory#ensureState}), and takes the lock. The lock file is mode 0600.
   *
   * <p>A lock on a path that can be unlinked is only a lock while the path still names the locked
   * file: after taking it, the run compares the locked descriptor's file (its {@code
   * /proc/self/fd} entry, examined without opening it) with the file the path names; when they
   * differ (removed or replaced meanwhile) it lets go and tries again. {@link #verifyHeld} repeats
   * the check before a run writes.
   *
   * @throws OperationFailedException when another run holds the lock past the timeout, or the state
   *     directory or lock file cannot be used
   */
  public static RunLock acquire(HostLayout layout) {
    PrivateDirectory.ensureState(layout);
    Path lockFile = lockFile(layout);
    Duration timeout = layout.lockTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Set<String> others = descriptorsOn(lockFile);
      FileChannel channel = open(lockFile);
      Set<String> mine = descriptorsOn(lockFile);
      mine.removeAll(others);
      // The new descriptor's entry; none when /proc is not there (then the path is trusted).
      Optional<Path> descriptor =
          mine.size() == 1 ? Optional.of(FDS.resolve(mine.iterator().next())) : Optional.empty();
      try {
        FileLock lock = waitFor(channel, lockFile, timeout, deadline);
        if (sameFile(descriptor, lockFile)) {
          RunLock held = new RunLock(channel, lock, lockFile, descriptor);
          HELD.put(lockFile, held);
          return held;
        }
        // Unlinked or replaced while we waited: the lock we hold locks nothing. Once more.
        lock.release();
        closeQuietly(channel);
      } catch (IOException e) {
        closeQuietly(channel);
        throw new OperationFailedException("cannot lock " + lockFile + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        closeQuietly(channel);
        throw e;
      }
    }
  }

  /**
   * Takes the lock only when the state directory and lock file exist already ({@code apply
   * --check}): a run that writes nothing creates nothing under the root.
   */
  public static Optional<RunLock> acquireIfPresent(HostLayout layout) {
    Path lockFile = lockFile(layout);
    if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(acquire(layout));
  }

  /**
   * Checks, when this process holds the run lock of {@code layout}, that its lock file is still
   * the locked one; a run calls it before it writes.
   *
   * @throws OperationFailedException when the lock file was removed or replaced since
   */
  public static void verifyHeld(HostLayout layout) {
    Path lockFile = lockFile(layout);
    RunLock held = HELD.get(lockFile);
    if (held != null && !sameFile(held.descriptor, lockFile)) {
      throw new OperationFailedException(
          "the lock file " + lockFile + " was removed or replaced while this run held it; "
              + "stopped before writing, run again");
    }
  }

  /** Whether the path names the descriptor's file (stat of both, neither opened). */
  private static boolean sameFile(Optional<Path> descriptor, Path lockFile) {
    if (descriptor.isEmpty()) {
      return true;
    }
    try {
      Object locked = Files.readAttributes(descriptor.get(), BasicFileAttributes.class).fileKey();
      Object named =
          Files.readAttributes(lockFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
      return locked != null && locked.equals(named);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The names of this process's descriptors open on {@code lockFile} (removed or not), read from
   * {@code /proc/self/fd} without opening anything: opening the lock file a second time and
   * closing it would drop the process's lock on it.
   */
  private static Set<String> descriptorsOn(Path lockFile) {
    Set<String> found = new HashSet<>();
    String name = lockFile.toAbsolutePath().normalize().toString();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.equals(name) || target.equals(name + " (deleted)")) {
            found.add(fd.getFileName().toString());
          }
        } catch (IOException e) {
          // Closed meanwhile: not ours.
        }
      }
    } catch (IOException e) {
      return found;
    }
    return found;
  }

  private static FileChannel open(Path lockFile) {
    try {
      FileChannel channel =
          FileChannel.open(
              lockFile,
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(PRIVATE));
      if (!Files.getPosixFilePermissions(lockFile, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE)) {
        Files.setPosixFilePermissions(lockFile, PRIVATE);
      }
      return channel;
    } catch (IOException e) {
      throw new OperationFailedException(
          "cannot open the lock file " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private static FileLock waitFor(
      FileChannel channel, Path lockFile, Duration timeout, long deadline) throws IOException {
    try {
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) {
          return lock;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new OperationFailedException(
              "another svirtctl run holds " + lockFile + "; waited " + timeout.toSeconds() + " s");
        }
        Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while waiting for " + lockFile, e);
    }
  }

  /** The lock, or null while another holder (another process, or another channel here) has it. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  @Override
  public void close() {
    HELD.remove(lockFile, this);
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases the lock as well.
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing is left to undo: the lock, if any, dies with the channel.
    }
  }

  private static Path lockFile(HostLayout layout) {
    return layout.resolve(new ManagedPaths(layout).lockFile());
  }
}
