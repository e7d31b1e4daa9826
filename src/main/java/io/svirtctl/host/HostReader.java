package io.svirtctl.host;

import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.StrictUtf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads host files under the root safely: a managed path must be a regular file (never a symbolic
 * link, a directory or a device), no larger than {@link #MAX_BYTES}, and its text must be valid
 * UTF-8. A missing file is not an error: it reads as absent.
 */
public final class HostReader {

  /** The largest file svirtctl reads; no qemu.conf, profile or domain XML comes near it. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  private final HostLayout layout;

  public HostReader(HostLayout layout) {
    this.layout = Objects.requireNonNull(layout, "layout");
  }

  /**
   * Reads a managed file given by its path as seen inside the root.
   *
   * @throws OperationFailedException if the path is a symbolic link, not a regular file, too large
   *     or unreadable
   * @throws InvalidInputException if its bytes are not valid UTF-8 (with line and column)
   */
  public HostFile read(Path logicalPath) {
    Optional<byte[]> bytes = readBytes(logicalPath);
    if (bytes.isEmpty()) {
      return HostFile.absent(logicalPath);
    }
    String text = StrictUtf8.decode(bytes.get(), layout.resolve(logicalPath).toString());
    return new HostFile(logicalPath, Optional.of(text), Fingerprint.of(bytes));
  }

  /**
   * The raw bytes of a managed file, or empty when it does not exist; the same checks as {@link
   * #read} except the UTF-8 decoding.
   */
  public Optional<byte[]> readBytes(Path logicalPath) {
    return readReal(layout.resolve(logicalPath));
  }

  /**
   * A managed file's bytes with the stamp it had while they were read, so a writer can tell
   * later whether the file changed since: the file is examined before and after reading, and a
   * file touched in between is refused.
   *
   * @param bytes its bytes, empty when it does not exist
   * @param stamp its stamp, empty when it does not exist
   */
  public record Stamped(Optional<byte[]> bytes, Optional<FileStamp> stamp) {}

  /**
   * Reads a managed file (as {@link #readBytes}) together with its {@link FileStamp}.
   *
   * @throws OperationFailedException also when the file changed while it was read
   */
  public Stamped readStamped(Path logicalPath) {
    Path real = layout.resolve(logicalPath);
    Optional<FileStamp> before = FileStamp.of(real);
    Optional<byte[]> bytes = readReal(real);
    Optional<FileStamp> after = FileStamp.of(real);
    if (!before.equals(after) || bytes.isPresent() != after.isPresent()) {
      throw new OperationFailedException(
          "refusing to read " + real + ": it changed while svirtctl read it; run again");
    }
    return new Stamped(bytes, after);
  }

  /** The fingerprint a managed file has now, for re-checking a plan before apply. */
  public Fingerprint fingerprint(Path logicalPath) {
    return Fingerprint.of(readBytes(logicalPath));
  }

  /**
   * Reads a file by its real path, never through a symbolic link. Only a regular file is opened:
   * a FIFO, socket or device is refused at once (opening a FIFO would wait for a writer, reading a
   * device may never end), as is anything larger than {@link #MAX_BYTES}; every message names the
   * file. The file's identity is checked again after reading, so a file swapped meanwhile is
   * refused rather than read half old, half new.
   */
  static Optional<byte[]> readReal(Path real) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + real + ": " + e.getMessage(), e);
    }
    refuseUnlessRegular(real, attrs);
    if (attrs.size() > MAX_BYTES) {
      throw tooLarge(real);
    }
    byte[] bytes;
    // The size is checked again while reading: the file may grow between stat and read.
    try (InputStream in =
        Channels.newInputStream(
            Files.newByteChannel(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + real + ": " + e.getMessage(), e);
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(real);
    }
    try {
      BasicFileAttributes after =
          Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!Objects.equals(after.fileKey(), attrs.fileKey())) {
        throw new OperationFailedException(
            "refusing to read " + real + ": it was replaced while svirtctl read it; run again");
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + real + ": " + e.getMessage(), e);
    }
    return Optional.of(bytes);
  }

  /** Refuses a symlink, directory, FIFO, socket or device, naming the file and what it is. */
  private static void refuseUnlessRegular(Path real, BasicFileAttributes attrs) {
    if (attrs.isRegularFile()) {
      return;
    }
    if (attrs.isSymbolicLink()) {
      throw new OperationFailedException(
          "refusing to read "
              + real
              + ": it is a symbolic link, and svirtctl manages only regular files");
    }
    String kind = attrs.isDirectory() ? "a directory" : kindOf(real);
    throw new OperationFailedException(
        "refusing to read " + real + ": it is " + kind + ", expected a regular file");
  }

  /** What a non-regular, non-directory file is, from its mode's type bits. */
  private static String kindOf(Path real) {
    try {
      int mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      switch (mode & 0170000) {
        case 0010000:
          return "a FIFO";
        case 0140000:
          return "a socket";
        case 0020000:
          return "a character device";
        case 0060000:
          return "a block device";
        default:
          return "not a regular file";
      }
    } catch (IOException | UnsupportedOperationException e) {
      return "not a regular file";
    }
  }

  private static OperationFailedException tooLarge(Path real) {
    return new OperationFailedException(
        "refusing to read " + real + ": it is larger than " + (MAX_BYTES / (1024 * 1024)) + " MiB");
  }
}
