package io.svirtctl.apply;

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

/** Journal file writes that are on disk when they return: data fsynced, then the directory. */
final class DurableFiles {

  private DurableFiles() {}

  /** Writes a new private (0600) file and fsyncs it; the caller fsyncs the directory. */
  static void writeNew(Path file, byte[] bytes) {
    writeNew(file, List.of(bytes));
  }

  /**
   * Writes a new private (0600) file holding {@code parts} one after the other and fsyncs it; the
   * caller fsyncs the directory.
   */
  static void writeNew(Path file, List<byte[]> parts) {
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
        ByteBuffer buf = ByteBuffer.wrap(part);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true);
    }
  }

  private static String reason(IOException e) {
    return e instanceof FileSystemException f && f.getReason() != null
        ? f.getReason()
        : String.valueOf(e.getMessage());
  }

  /**
   * Replaces a file atomically: a fsynced temporary sibling renamed over it, then the directory
   * fsynced.
   */
  static void replace(Path file, byte[] bytes) {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      writeNew(temp, bytes);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new OperationFailedException(
          "cannot write journal file " + file + ": " + e.getMessage(), e);
    }
    syncDirectory(file.getParent());
  }

  /** Makes a directory's entries (new names, renames) durable. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw new OperationFailedException("cannot sync directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
