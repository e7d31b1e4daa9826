package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.Uuid;
import io.svirtctl.host.DomainDefinition;
import io.svirtctl.host.DomainXmlReader;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostReader;
import io.svirtctl.host.ManagedPaths;
import io.svirtctl.host.PrivateDirectory;
import io.svirtctl.host.RunLock;
import io.svirtctl.plan.HookRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The libvirt qemu hook ({@code svirtctl hook qemu DOMAIN OP SUBOP}): before a guest starts, it
 * makes sure the guest's profile exists with the mode and managed rules apply last gave it, as
 * recorded in the state directory. Every action and error is logged to {@code hook.log} there.
 *
 * <p>libvirt reuses an existing profile file and creates a missing one from the template in
 * enforce mode (DESIGN.md §1), so restoring the file before libvirt looks is enough.
 */
public final class QemuHook {

  private final HostLayout layout;
  private final Clock clock;
  private final ManagedPaths paths;
  private final HostReader reader;

  public QemuHook(HostLayout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
    this.paths = new ManagedPaths(layout);
    this.reader = new HostReader(layout);
  }

  /** Whether the hook does anything for this operation: only {@code prepare begin}. */
  public static boolean acts(String operation, String subOperation) {
    return "prepare".equals(operation) && "begin".equals(subOperation);
  }

  /**
   * Restores the profile of the guest the domain XML describes, under the run lock, and logs what
   * it did.
   *
   * @param domain the domain name libvirt passed (for the log)
   * @param domainXml the domain XML libvirt writes to the hook's standard input
   * @return the line logged
   * @throws io.svirtctl.InvalidInputException when the XML or the record cannot be parsed
   * @throws OperationFailedException when a file cannot be read or written
   */
  public String prepare(String domain, byte[] domainXml) {
    return prepare(domain, domainXml, clock.instant().plus(layout.lockTimeout()));
  }

  /**
   * Like {@link #prepare(String, byte[])}, waiting for the run lock no later than {@code
   * deadline}. Everything it reads (the record, the profile) is read under the lock, so a run
   * that held it (an apply) is over and its record is the one used; the profile is written as a
   * journaled run ({@code history} lists it, {@code rollback} undoes it).
   *
   * @throws OutOfTime when the lock is still held at the deadline; nothing was read or written
   */
  public String prepare(String domain, byte[] domainXml, Instant deadline) {
    DomainDefinition guest =
        DomainXmlReader.parse(domainXml, Path.of("/dev/stdin"), "domain XML of " + domain);
    try (RunLock lock = lockBy(deadline)) {
      HostFile recordFile = reader.read(paths.hookRecord());
      if (!recordFile.exists()) {
        return log(domain, "no hook record " + paths.hookRecord() + "; left to libvirt");
      }
      HookRecord record =
          HookRecord.parse(
              recordFile.text().orElseThrow(), layout.resolve(paths.hookRecord()).toString());
      Uuid uuid = guest.uuid();
      Optional<HookRecord.Guest> settings = record.settingsFor(uuid);
      if (settings.isEmpty()) {
        return log(domain, uuid.profileName() + " is not managed by svirtctl; left to libvirt");
      }
      HookRecord.Guest wanted = settings.get();
      Path profile = paths.guestProfile(uuid);
      HostFile current = reader.read(profile);
      Optional<String> after = record.restore(uuid, wanted, current.text());
      if (after.isEmpty()) {
        boolean missing = current.text().map(String::isEmpty).orElse(true);
        return log(
            domain,
            missing
                ? uuid.profileName() + " is missing and no template is recorded; left to libvirt"
                : uuid.profileName() + " already as applied (" + wanted.mode().label() + ")");
      }
      String what =
          current.exists() && !current.text().orElseThrow().isEmpty()
              ? "restored the mode and rules of "
              : "recreated from the recorded template ";
      String summary = what + uuid.profileName() + " (" + wanted.mode().label() + ")";
      // The one write path: the bytes read here are the ones journaled and replaced.
      String runId =
          new WritePath(layout, clock)
              .commit(
                  "hook qemu " + domain + " prepare begin",
                  List.of(
                      WritePath.Change.write(
                          profile,
                          current.fingerprint(),
                          after.get().getBytes(StandardCharsets.UTF_8))),
                  summary);
      return log(domain, summary + ", run " + runId);
    }
  }

  /** The run lock, waiting for it until {@code deadline} at the latest. */
  private RunLock lockBy(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative()) {
      left = Duration.ZERO;
    }
    try {
      return RunLock.acquire(layout.withLockTimeout(left));
    } catch (OperationFailedException e) {
      if (clock.instant().isBefore(deadline)) {
        throw e;
      }
      throw new OutOfTime("gave up at the end of its time budget: " + e.getMessage()
          + "; the profile was left as it is");
    }
  }

  /** The hook's time budget ran out before it could take the run lock; it read and wrote nothing. */
  public static final class OutOfTime extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    OutOfTime(String message) {
      super(message);
    }
  }

  /** Logs a failure the caller decided not to let block the guest start (or to report). */
  public void logFailure(String domain, String operation, String subOperation, String message) {
    log(domain, "error in " + operation + " " + subOperation + ": " + message);
  }

  private String log(String domain, String message) {
    String line =
        clock.instant().truncatedTo(ChronoUnit.SECONDS) + " " + domain + ": " + message + "\n";
    Path stateDir = layout.resolve(layout.stateDir());
    Path file = layout.resolve(paths.hookLog());
    try {
      PrivateDirectory.ensure(stateDir);
      if (Files.isSymbolicLink(file)) {
        throw new OperationFailedException("refusing to log to " + file + ": it is a symlink");
      }
      // A new log is 0600 whatever the umask, like every file in the state directory.
      try (FileChannel out =
          FileChannel.open(
              file,
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return line.strip();
  }
}
