package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temp file beside a target that a replacement is written to before it is renamed over it:
 * a dot file (apparmor_parser skips dot files when it loads a directory), created O_EXCL and
 * O_NOFOLLOW, given the old file's owner, group and mode (or the wanted mode), and synced.
 */
final class TempFile {

  private static final Set<PosixFilePermission> NEW_FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");
  static final String SUFFIX = ".svirtctl-tmp";
  private static final Set<OpenOption> CREATE_TEMP =
      Set.of(
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  /** The attributes a replacement keeps, read as numbers (no user or group name lookups). */
  private static final String OWNERSHIP = "unix:permissions,uid,gid";

  private TempFile() {}

  /**
   * Writes a replacement's content to a synced temp file beside its target, with the target's
   * owner and group and the wanted mode, and returns it; on failure nothing is left behind.
   */
  static Path stage(AtomicFileWriter.Replacement r) {
    Path abs = r.target();
    Path dir = abs.getParent();
    Optional<Map<String, Object>> old = ownership(abs);
    Set<PosixFilePermission> mode =
        r.mode().orElse(old.isPresent() ? permissions(old.get()) : NEW_FILE_MODE);
    Path temp = null;
    try {
      // A dot file: apparmor_parser skips dot files when it loads a directory, so a temp file
      // left by a crash is never taken for a profile. Created here with the wanted mode (less the
      // umask) in one open, O_EXCL and O_NOFOLLOW: a name that exists is never reused.
      FileChannel ch = null;
      while (ch == null) {
        Path name =
            dir.resolve(
                "." + abs.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong())
                    + SUFFIX);
        try {
          ch = FileChannel.open(name, CREATE_TEMP, PosixFilePermissions.asFileAttribute(mode));
          temp = name;
        } catch (FileAlreadyExistsException taken) {
          // Another name; the existing file is not ours to touch.
        }
      }
      try (FileChannel open = ch) {
        DurableFiles.writeFully(open, r.content());
        // Owner, group and mode before the fsync, so that it makes them durable with the bytes.
        // Numeric ids: owner and group names would cost a passwd and a group lookup per file.
        Map<String, Object> mine =
            Files.readAttributes(temp, OWNERSHIP, LinkOption.NOFOLLOW_LINKS);
        boolean chowned = false;
        if (old.isPresent()) {
          Map<String, Object> a = old.get();
          if (!mine.get("uid").equals(a.get("uid"))) {
            Files.setAttribute(temp, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
            chowned = true;
          }
          if (!mine.get("gid").equals(a.get("gid"))) {
            Files.setAttribute(temp, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
            chowned = true;
          }
        }
        // The umask may have taken bits, and a chown clears set-id bits: then the exact mode.
        if (chowned || !permissions(mine).equals(mode)) {
          setMode(temp, mode);
        }
        open.force(true);
      }
      Path staged = temp;
      temp = null;
      return staged;
    } catch (IOException | UnsupportedOperationException e) {
      throw new OperationFailedException("cannot write " + abs + ": " + DurableFiles.reason(e), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // The write already failed and says so; a leftover temp file is swept by the next run.
    }
  }

  /** A file's permissions, uid and gid ({@link #OWNERSHIP}); empty when it does not exist. */
  private static Optional<Map<String, Object>> ownership(Path p) {
    try {
      return Optional.of(Files.readAttributes(p, OWNERSHIP, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("cannot read attributes of " + p + ": " + DurableFiles.reason(e), e);
    }
  }

  private static void setMode(Path temp, Set<PosixFilePermission> mode) throws IOException {
    Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setPermissions(mode);
  }

  @SuppressWarnings("unchecked")
  private static Set<PosixFilePermission> permissions(Map<String, Object> ownership) {
    return (Set<PosixFilePermission>) ownership.get("permissions");
  }
}
