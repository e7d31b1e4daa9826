package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * A private copy of a host's AppArmor directory in a temporary directory outside the root, with
 * planned files laid over it, for compiling profiles as they will be once a plan is applied. The
 * host's guest profiles are not copied (there may be thousands): the caller puts the ones it
 * compiles. Nothing under the root is written; {@link #close()} removes the copy.
 */
public final class ScratchTree implements AutoCloseable {

  private static final String GUEST_PREFIX = "libvirt-";

  private final Path shown;
  private final Path dir;
  private final Map<Path, Set<Path>> closures = new HashMap<>();

  private ScratchTree(Path shown, Path dir) {
    this.shown = shown;
    this.dir = dir;
  }

  /**
   * Copies the regular files of {@code layout}'s AppArmor directory (following only links that
   * stay inside it; FIFOs, devices and sockets are skipped, never opened) into a new private
   * directory.
   */
  public static ScratchTree of(HostLayout layout) {
    Path scratch;
    try {
      scratch = Files.createTempDirectory("svirtctl-check-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new OperationFailedException("cannot create a directory for the profile check: " + e.getMessage(), e);
    }
    ScratchTree tree = new ScratchTree(layout.apparmorDir(), scratch.resolve("apparmor.d"));
    try {
      Files.createDirectory(tree.dir);
      tree.copyFrom(layout.resolve(layout.apparmorDir()));
    } catch (IOException | RuntimeException e) {
      tree.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new OperationFailedException("cannot copy " + layout.apparmorDir() + " for the profile check: "
          + e.getMessage(), e);
    }
    return tree;
  }

  private void copyFrom(Path host) throws IOException {
    if (!Files.isDirectory(host)) {
      return;
    }
    Path hostReal = host.toRealPath();
    Deque<Path> todo = new ArrayDeque<>(List.of(hostReal));
    Set<Path> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Path from = todo.pop();
      if (!seen.add(from)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
        for (Path entry : entries) {
          Path logical = hostReal.relativize(from).resolve(entry.getFileName().toString());
          Path real;
          try {
            real = entry.toRealPath();
          } catch (IOException e) {
            continue; // a dangling link: the parser could not open it either
          }
          if (!real.startsWith(hostReal) || isGuestProfile(logical)) {
            continue;
          }
          Path to = dir.resolve(logical.toString());
          if (Files.isDirectory(real)) {
            Files.createDirectories(to);
            todo.push(entry);
          } else if (Files.isRegularFile(real)) {
            Files.createDirectories(to.getParent());
            Files.copy(real, to, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  private static boolean isGuestProfile(Path relative) {
    return relative.getNameCount() == 2
        && relative.getName(0).toString().equals("libvirt")
        && relative.getFileName().toString().startsWith(GUEST_PREFIX);
  }

  /** The copy's AppArmor directory: the only include path and base of a check. */
  public Path directory() {
    return dir;
  }

  /** Lays a planned text over the copy at {@code logical} (a path under the AppArmor directory). */
  public Path put(Path logical, String text) {
    Path file = real(logical);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OperationFailedException("cannot write the profile check's copy of " + logical + ": "
          + e.getMessage(), e);
    }
    closures.clear();
    return file;
  }

  /** Removes a file the plan deletes from the copy. */
  public void remove(Path logical) {
    try {
      Files.deleteIfExists(real(logical));
    } catch (IOException e) {
      throw new OperationFailedException("cannot remove the profile check's copy of " + logical + ": "
          + e.getMessage(), e);
    }
    closures.clear();
  }

  /** Whether {@code logical} is under the AppArmor directory this tree copies. */
  public boolean covers(Path logical) {
    return logical.normalize().startsWith(shown);
  }

  /** The copy of a file given as seen inside the root. */
  public Path real(Path logical) {
    if (!covers(logical)) {
      throw new IllegalArgumentException(logical + " is not under " + shown);
    }
    return dir.resolve(shown.relativize(logical.normalize()).toString());
  }

  /** The file as seen inside the root for a path of the copy (as the parser names it). */
  public Path shown(Path real) {
    Path normal = real.toAbsolutePath().normalize();
    return normal.startsWith(dir) ? shown.resolve(dir.relativize(normal).toString()) : real;
  }

  /** Replaces every mention of the copy's directory in a text with the host's. */
  public String unscratch(String text) {
    return text.replace(dir.toString(), shown.toString());
  }

  /**
   * Every file a file of the copy includes, directly or through other includes (a directory
   * include brings its files), as seen inside the root.
   */
  public Set<Path> includes(Path logical) {
    Set<Path> known = closures.get(logical);
    if (known != null) {
      return known;
    }
    Set<Path> seen = new HashSet<>();
    Deque<Path> todo = new ArrayDeque<>(List.of(real(logical)));
    while (!todo.isEmpty()) {
      Path file = todo.pop();
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        continue; // not a text file the parser could include either; it will say so
      }
      Matcher m = IncludeTree.INCLUDE_LINE.matcher(text);
      while (m.find()) {
        Path target = m.group(2) != null
            ? dir.resolve(m.group(2).strip()).normalize()
            : Path.of(m.group(3)).isAbsolute() && covers(Path.of(m.group(3))) ? real(Path.of(m.group(3))) : null;
        if (target == null || !target.startsWith(dir)) {
          continue;
        }
        for (Path f : filesOf(target)) {
          if (seen.add(shown(f))) {
            todo.push(f);
          }
        }
      }
    }
    closures.put(logical, Set.copyOf(seen));
    return closures.get(logical);
  }

  private static List<Path> filesOf(Path target) {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.list(target)) {
        return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
      } catch (IOException e) {
        return List.of();
      }
    }
    return Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? List.of(target) : List.of();
  }

  /** Deletes the copy. */
  @Override
  public void close() {
    Path top = dir.getParent();
    try {
      Files.walkFileTree(top, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new OperationFailedException("cannot remove " + top + ": " + e.getMessage(), e);
    }
  }
}
