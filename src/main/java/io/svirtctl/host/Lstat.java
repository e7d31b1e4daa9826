package io.svirtctl.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** A path's own attributes, a symlink's and never its target's (lstat(2)). */
public final class Lstat {

  private Lstat() {}

  /** A path's own attributes (a symlink's, not its target's); empty when it cannot be read. */
  public static Optional<BasicFileAttributes> of(Path p) {
    try {
      return Optional.of(
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      // As Files.exists and Files.isDirectory: a path that cannot be examined counts as absent.
      return Optional.empty();
    }
  }
}
