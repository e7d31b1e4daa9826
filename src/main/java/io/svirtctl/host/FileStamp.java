package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;

/**
 * What a file looked like when svirtctl read it: size, modification and status-change times,
 * inode and device (a symlink's own, never its target's). Any write, rename over, {@code chmod},
 * {@code chown} or {@code chattr} changes at least one of them, so comparing two stamps tells
 * whether the file was touched in between.
 */
public record FileStamp(long size, FileTime modified, FileTime changed, long inode, long device) {

  private static final String ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino,dev";

  /**
   * The stamp of {@code real} now, or empty when it does not exist.
   *
   * @throws OperationFailedException naming the file when it cannot be examined
   */
  public static Optional<FileStamp> of(Path real) {
    try {
      Map<String, Object> a = Files.readAttributes(real, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(
          new FileStamp(
              (Long) a.get("size"),
              (FileTime) a.get("lastModifiedTime"),
              (FileTime) a.get("ctime"),
              (Long) a.get("ino"),
              (Long) a.get("dev")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("cannot examine " + real + ": " + e.getMessage(), e);
    }
  }
}
