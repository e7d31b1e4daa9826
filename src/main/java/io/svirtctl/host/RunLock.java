package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The one-run-at-a-time lock of a root: an exclusive lock on {@code <stateDir>/lock} held while a
 * run reads, plans and writes. A second run waits up to {@link HostLayout#lockTimeout()} and then
 * fails clearly; the lock is released when the process ends, so a crashed run never leaves the root
 * locked.
 */
public final class RunLock implements AutoCloseable {

  private static final long POLL_MILLIS = 100;

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the state directory (mode 0700) when missing and takes the lock.
   *
   * @throws OperationFailedException when another run holds the lock past the timeout, or the state
   *     directory or lock file cannot be used
   */
  public static RunLock acquire(HostLayout layout) {
    Path dir = PrivateDirectory.ensure(layout.resolve(layout.stateDir()));
    Path lockFile = dir.resolve("lock");
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new OperationFailedException(
          "cannot open the lock file " + lockFile + ": " + e.getMessage(), e);
    }
    Duration timeout = layout.lockTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) {
          return new RunLock(channel, lock);
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
      closeQuietly(channel);
      throw new OperationFailedException("interrupted while waiting for " + lockFile, e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new OperationFailedException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    } catch (OperationFailedException e) {
      closeQuietly(channel);
      throw e;
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
}
