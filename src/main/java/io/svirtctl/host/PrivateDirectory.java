package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * A directory only its owner may enter (mode 0700), such as svirtctl's state directory: the journal
 * under it holds previous bytes of configuration files, and {@code rollback} writes what it finds
 * there as root. So the state directory, and every directory from {@code /} down to it, must be
 * owned by the user running svirtctl (or by root) and writable by nobody else (an ancestor with
 * the sticky bit, such as {@code /tmp}, may be writable by all).
 */
public final class PrivateDirectory {

  private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rwxr-xr-x");
  private static final String OWNER_AND_MODE = "unix:uid,mode";

  private PrivateDirectory() {}

  /**
   * Creates the directory with mode 0700 when missing (missing parents get 0755, whatever the
   * umask) and returns it; refuses a symbolic link or a non-directory in its place.
   *
   * @param dir a real path (already resolved under the root)
   * @throws OperationFailedException if it cannot be created or is not a plain directory
   */
  public static Path ensure(Path dir) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        createParents(dir.getParent());
        try {
          Files.createDirectory(dir);
          // Set after creating: the creation mode would be narrowed by the umask, not widened.
          Files.setPosixFilePermissions(dir, PRIVATE);
        } catch (FileAlreadyExistsException e) {
          // Created by someone else meanwhile: checked below like any existing directory.
        }
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new OperationFailedException(
          "refusing to use "
              + dir
              + ": it is "
              + (Files.isSymbolicLink(dir) ? "a symbolic link" : "not a directory"));
    }
    return dir;
  }

  /**
   * The state directory of {@code layout}, created 0700 when missing, after checking it and every
   * directory from {@code /} down to it: each must be a directory (not a symbolic link) owned by
   * the running user or root, and not writable by its group or others. Otherwise another user
   * could plant a journal that the next {@code rollback} carries out as root.
   *
   * @return its real path
   * @throws OperationFailedException naming the first directory refused
   */
  public static Path ensureState(HostLayout layout) {
    Path stateDir = layout.resolve(layout.stateDir());
    Path real = ensure(stateDir);
    long me = runningUid();
    Path walked = layout.root();
    for (Path a = walked.getRoot(); a != null; a = next(a, walked)) {
      refuseUntrusted(a, me, true);
    }
    for (Path name : layout.stateDir()) {
      walked = walked.resolve(name.toString());
      refuseUntrusted(walked, me, !walked.equals(real));
    }
    return real;
  }

  /** The next directory on the way from {@code at} down to {@code to}, or null past it. */
  private static Path next(Path at, Path to) {
    if (at.equals(to)) {
      return null;
    }
    return at.resolve(to.getName(at.getNameCount()).toString());
  }

  /**
   * Refuses a directory not owned by {@code me} or root, or writable by others; an ancestor (not
   * the state directory itself) may be writable by all when its sticky bit is set, as {@code /tmp}
   * is: no one else can rename or remove what is ours in it.
   */
  private static void refuseUntrusted(Path dir, long me, boolean ancestor) {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(dir, OWNER_AND_MODE, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new OperationFailedException("cannot examine " + dir + ": " + e.getMessage(), e);
    }
    int mode = (Integer) a.get("mode");
    long uid = ((Integer) a.get("uid")).longValue();
    if ((mode & 0170000) != 0040000) {
      throw new OperationFailedException(
          "refusing to use " + dir + ": it is "
              + ((mode & 0170000) == 0120000 ? "a symbolic link" : "not a directory"));
    }
    if (uid != me && uid != 0) {
      throw new OperationFailedException(
          "refusing to use " + dir + ": it is owned by uid " + uid
              + ", not by the user running svirtctl (uid " + me + ") or root");
    }
    boolean sticky = (mode & 01000) != 0;
    if ((mode & 0022) != 0 && !(ancestor && sticky)) {
      throw new OperationFailedException(
          "refusing to use " + dir + ": it is writable by its group or others (mode "
              + String.format("%04o", mode & 07777) + ")");
    }
  }

  /** The user id this process runs as (the owner of {@code /proc/self}). */
  private static long runningUid() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | UnsupportedOperationException e) {
      throw new OperationFailedException("cannot tell which user runs svirtctl: " + e.getMessage(), e);
    }
  }

  /** Creates the missing directories down to {@code dir}, each 0755 whatever the umask. */
  private static void createParents(Path dir) throws IOException {
    if (dir == null || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(dir)) {
      throw new OperationFailedException("refusing to use " + dir + ": it is a symbolic link");
    }
    createParents(dir.getParent());
    try {
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, PUBLIC);
    } catch (FileAlreadyExistsException e) {
      // Created meanwhile, or a file or link in the way: the caller's checks name it.
    }
  }
}
