package io.svirtctl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Host trees for tests: build one from a base tree and an overlay, snapshot, compare. */
public final class Trees {

  /** The demo host shipped in the repository, usable as a base tree. */
  public static final Path DEMO = Path.of("playbook-examples/demo/root");

  private Trees() {}

  /**
   * Builds a host root: the base tree named in {@code case/tree} (a path relative to the
   * project, e.g. {@code playbook-examples/demo/root}) if any, then {@code case/root/} on top;
   * files listed in {@code case/remove} are removed from the result.
   */
  public static void materialise(Path caseDir, Path root) throws IOException {
    Files.createDirectories(root);
    Path tree = caseDir.resolve("tree");
    if (Files.exists(tree)) {
      copy(Path.of(Files.readString(tree).strip()), root);
    }
    if (Files.isDirectory(caseDir.resolve("root"))) {
      copy(caseDir.resolve("root"), root);
    }
    Path remove = caseDir.resolve("remove");
    if (Files.exists(remove)) {
      for (String line : Files.readAllLines(remove)) {
        if (!line.isBlank()) {
          Files.delete(root.resolve(line.strip()));
        }
      }
    }
  }

  /** Copies a directory tree (regular files and directories). */
  public static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted().toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          if (Files.isExecutable(p)) {
            // Hook scripts: libvirt runs only executable ones, and the planner looks.
            Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(p));
          }
        }
      }
    }
  }

  /** Every regular file under {@code root}, by relative path. */
  public static SortedMap<String, byte[]> snapshot(Path root) {
    SortedMap<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The snapshot without svirtctl's own state directory (journal, lock). */
  public static SortedMap<String, byte[]> managed(SortedMap<String, byte[]> files) {
    SortedMap<String, byte[]> out = new TreeMap<>(files);
    out.keySet().removeIf(k -> k.startsWith("var/lib/svirtctl/"));
    return out;
  }

  /** Modification times of every managed file. */
  public static Map<String, FileTime> mtimes(Path root) throws IOException {
    Map<String, FileTime> out = new TreeMap<>();
    for (String k : managed(snapshot(root)).keySet()) {
      out.put(k, Files.getLastModifiedTime(root.resolve(k)));
    }
    return out;
  }

  /** The files as one comparable text, for readable assertion failures. */
  public static String asText(SortedMap<String, byte[]> files) {
    return files.entrySet().stream()
        .map(e -> "=== " + e.getKey() + "\n" + new String(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("\n"));
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
