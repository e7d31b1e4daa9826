package io.svirtctl.host;

/**
 * A test-only fault seam that kills the process the way a power cut or {@code kill -9} would: after
 * the k-th file operation of a run (temp file created, data written, fsynced, renamed, directory
 * fsynced, deleted, journal record written), it halts the JVM without running shutdown hooks or
 * finally blocks.
 *
 * <p>It is armed only when the JVM starts with {@code -Dsvirtctl.test.haltAfterFileOps=k}; the
 * property is read once, when the seam is made. Disarmed (always, in production) a call costs one
 * comparison. One seam counts the operations of one run, shared by its writer and its journal, so
 * the count is an instance field and never static.
 */
public final class CrashSeam {

  /** The system property that arms the seam with the number of operations to allow. */
  public static final String PROPERTY = "svirtctl.test.haltAfterFileOps";

  /** The exit status of a halted process, distinct from every status svirtctl itself returns. */
  public static final int HALT_STATUS = 86;

  private final long haltAfter;
  private long done;

  private CrashSeam(long haltAfter) {
    this.haltAfter = haltAfter;
  }

  /** A seam that never halts. */
  public static CrashSeam disarmed() {
    return new CrashSeam(0);
  }

  /** A seam armed from {@link #PROPERTY} when it holds a positive number, disarmed otherwise. */
  public static CrashSeam fromSystemProperty() {
    String value = System.getProperty(PROPERTY, "");
    try {
      return new CrashSeam(Math.max(0, Long.parseLong(value.strip())));
    } catch (NumberFormatException e) {
      return disarmed();
    }
  }

  /** Counts one finished file operation; halts the JVM when it is the k-th. */
  public void fileOperationDone() {
    if (haltAfter == 0) {
      return;
    }
    done++;
    if (done == haltAfter) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
