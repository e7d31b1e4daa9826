package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.host.AtomicFileWriter;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.Lstat;
import io.svirtctl.host.PrivateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Where the {@link WritePath} may write: paths svirtctl manages (with {@code anyProfile}, also any
 * profile file under the AppArmor directory), reached from the root through real directories only.
 */
final class WriteTargets {

  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private final HostLayout layout;
  private final ManagedPathGuard guard;
  private final boolean anyProfile;
  private final AtomicFileWriter writer;

  WriteTargets(HostLayout layout, ManagedPathGuard guard, boolean anyProfile, AtomicFileWriter writer) {
    this.layout = layout;
    this.guard = guard;
    this.anyProfile = anyProfile;
    this.writer = writer;
  }

  /** Refuses a path svirtctl does not manage, naming it. */
  void refuseUnmanaged(Path path) {
    if (!(anyProfile && isProfileFile(path.normalize()))) {
      guard.check(path.normalize());
    }
  }

  /**
   * Refuses {@code c}'s path when svirtctl does not manage it, when a directory from the root down
   * to it is a symbolic link or no directory, or when the file is not a regular file; creates the
   * missing directories of the hook script (0755) and of svirtctl's records (0700).
   */
  void check(WritePath.Change c, Set<Path> checkedDirs) {
    refuseUnmanaged(c.path());
    Path stateDir = layout.stateDir();
    Path dir = c.path().getParent();
    Path walked = Path.of("/");
    for (Path name : dir) {
      walked = walked.resolve(name);
      if (!checkedDirs.add(walked)) {
        continue;
      }
      Path real = layout.resolve(walked);
      Optional<BasicFileAttributes> a = Lstat.of(real);
      if (a.isPresent() && a.get().isSymbolicLink()) {
        throw new OperationFailedException(
            "refusing to write " + layout.resolve(c.path()) + ": " + real + " is a symlink");
      }
      if (a.isPresent() && !a.get().isDirectory()) {
        throw new OperationFailedException(
            "cannot write " + layout.resolve(c.path()) + ": " + real + " is not a directory");
      }
      if (a.isEmpty()) {
        if (walked.startsWith(stateDir)) {
          PrivateDirectory.ensure(real);
        } else if (c.mode().isPresent()) {
          createDirectory(real);
        } else {
          throw new OperationFailedException(
              "cannot write " + layout.resolve(c.path()) + ": no directory " + real);
        }
      }
    }
    writer.checkWritable(layout.resolve(c.path()));
  }

  /** A file under the AppArmor directory that is no dot file (profile-mode's targets). */
  private boolean isProfileFile(Path path) {
    return path.startsWith(layout.apparmorDir())
        && !path.equals(layout.apparmorDir())
        && !path.getFileName().toString().startsWith(".");
  }

  /** Creates one directory with mode 0755 whatever the umask. */
  private static void createDirectory(Path dir) {
    try {
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
    } catch (IOException e) {
      throw new OperationFailedException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }
}
