package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The one place svirtctl makes bytes durable: the write loop, the data fsync and the directory
 * fsync that {@link AtomicFileWriter} (host files) and the journal (svirtctl's own private files)
 * both build on, and the operating system's words for a failure.
 */
public final class DurableFiles {

  private DurableFiles() {}

  /** Writes a new private (0600) file and fsyncs it; the caller fsyncs the directory. */
  public static void writeNew(Path file, byte[] bytes) {
    writeNew(file, List.of(bytes));
  }

  /**
   * Writes a new private (0600) file holding {@code parts} one after the other and fsyncs it; the
   * caller fsyncs the directory.
   */
  public static void writeNew(Path file, List<byte[]> parts) {
    try {
      writeOrFail(file, parts);
    } catch (IOException e) {
      // A journal file is whole or absent: a partial one (disk full) would make the run unreadable.
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // Reported below; the run is then incomplete and names the file.
      }
      throw new OperationFailedException(
          "cannot write journal file " + file + ": " + reason(e), e);
    }
  }

  private static void writeOrFail(Path file, List<byte[]> parts) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      for (byte[] part : parts) {
        writeFully(ch, part);
      }
      ch.force(true);
    }
  }

  /**
   * Replaces a private file atomically: a fsynced temporary sibling renamed over it, then the
   * directory fsynced.
   */
  public static void replace(Path file, byte[] bytes) {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      writeNew(temp, bytes);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new OperationFailedException(
          "cannot write journal file " + file + ": " + reason(e), e);
    }
    syncDirectory(file.getParent());
  }

  /** Makes a directory's entries (new names, renames) durable. */
  public static void syncDirectory(Path dir) {
    try {
      forceDirectory(dir);
    } catch (IOException e) {
      throw new OperationFailedException("cannot sync directory " + dir + ": " + reason(e), e);
    }
  }

  /** Writes all of {@code bytes} at the channel's position (a channel may write less per call). */
  static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /** fsyncs a directory, making its new names and renames durable. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** The operating system's words ("No space left on device"), not a Java class or temp path. */
  static String reason(Exception e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
