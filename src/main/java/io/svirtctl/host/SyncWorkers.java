package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one blocking file task (write and fsync) per item on a few threads and waits for all.
 *
 * <p>fsync is a wait for the disk, not work for the CPU: with several in flight the file system
 * commits them together (one journal commit for many files on ext4), which a sequential loop of
 * fsyncs never allows. The threads live for one call only.
 */
public final class SyncWorkers {

  /** A task on one item that may fail with svirtctl's own exceptions. */
  @FunctionalInterface
  public interface Task<T> {
    void run(T item);
  }

  /** Enough fsyncs in flight for the file system to batch them; more gains nothing measurable. */
  private static final int MAX_THREADS = 8;

  private SyncWorkers() {}

  /**
   * Runs {@code task} on every item, several at a time, and returns when all have finished.
   *
   * @throws RuntimeException the first failure, in item order, after every task has finished
   */
  public static <T> void forEach(List<T> items, Task<T> task) {
    int threads = Math.min(MAX_THREADS, items.size());
    if (threads <= 1) {
      items.forEach(task::run);
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(null, r, "svirtctl-sync", 256 * 1024);
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>(items.size());
      for (T item : items) {
        futures.add(pool.submit(() -> task.run(item)));
      }
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = unwrap(e);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          if (first == null) {
            first = new OperationFailedException("interrupted while writing files", e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdown();
    }
  }

  private static RuntimeException unwrap(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new OperationFailedException("a file task failed: " + cause, cause);
  }
}
