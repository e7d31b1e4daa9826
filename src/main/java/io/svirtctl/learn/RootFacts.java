package io.svirtctl.learn;

import io.svirtctl.OperationFailedException;
import io.svirtctl.apparmor.Tunables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What learn reads from the root besides logs and domain XML: the tunables' variables. */
public final class RootFacts {

  private static final Path TUNABLES = Path.of("etc/apparmor.d/tunables");

  private RootFacts() {}

  /**
   * The variables of every file in the root's {@code etc/apparmor.d/tunables} and its {@code
   * *.d} directories, files in name order, each directory's drop-ins after its file.
   */
  public static Map<String, List<String>> tunables(Path root) {
    Tunables t = new Tunables();
    Path dir = root.resolve(TUNABLES);
    for (Path f : sorted(dir)) {
      if (Files.isRegularFile(f)) {
        t.add(read(f));
      }
    }
    for (Path d : sorted(dir)) {
      if (Files.isDirectory(d)) {
        for (Path f : sorted(d)) {
          if (Files.isRegularFile(f)) {
            t.add(read(f));
          }
        }
      }
    }
    return t.variables();
  }

  private static List<Path> sorted(Path dir) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(out::add);
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }

  private static String read(Path f) {
    try {
      return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
