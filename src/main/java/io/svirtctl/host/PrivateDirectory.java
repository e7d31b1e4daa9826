package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory only its owner may enter (mode 0700), such as svirtctl's state directory: the journal
 * under it holds previous bytes of configuration files.
 */
public final class PrivateDirectory {

  private PrivateDirectory() {}

  /**
   * Creates the directory with mode 0700 when missing (missing parents get the default mode) and
   * returns it; refuses a symbolic link or a non-directory in its place.
   *
   * @param dir a real path (already resolved under the root)
   * @throws OperationFailedException if it cannot be created or is not a plain directory
   */
  public static Path ensure(Path dir) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir.getParent());
        try {
          Files.createDirectory(dir);
          // Set after creating: the creation mode would be narrowed by the umask, not widened.
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
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
}
