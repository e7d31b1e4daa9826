package io.svirtctl.host;

import io.svirtctl.apparmor.IncludeCheck;
import io.svirtctl.apparmor.IncludeTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The include check against one host's AppArmor directory: {@code include <name>} must name a
 * file or directory that exists there and stays inside it (through symbolic links too), because
 * that directory is the parser's only include path when svirtctl checks and loads profiles; and
 * so must every include the named files make in turn (apparmor_parser refuses a profile whose
 * includes do not all open). {@code include if exists} may name a file that does not exist, as
 * apparmor_parser allows.
 */
public final class IncludeTree implements IncludeCheck {

  /** An include line of a profile file: {@code #include} or {@code include}, maybe {@code if exists}. */
  static final Pattern INCLUDE_LINE =
      Pattern.compile("(?m)^[ \\t]*(?:#include[ \\t]*|include[ \\t]+)(if[ \\t]+exists[ \\t]+)?(?:<([^>\\n]+)>|\"([^\"\\n]+)\")");

  /** No include chain in a real tree is this long; a longer one is a loop apparmor_parser also refuses. */
  private static final int MAX_FILES = 5000;

  private final Path shown;
  private final Path dir;

  /** The check for the AppArmor directory of {@code layout}'s root. */
  public IncludeTree(HostLayout layout) {
    this(layout.apparmorDir(), layout.resolve(layout.apparmorDir()));
  }

  /**
   * @param shown the directory as messages name it (as seen from inside the root)
   * @param dir the directory on this machine
   */
  public IncludeTree(Path shown, Path dir) {
    this.shown = shown;
    this.dir = dir;
  }

  @Override
  public Optional<String> problem(IncludeTarget target) {
    Optional<Path> first;
    try {
      first = resolve(target.name(), target.ifExists());
    } catch (Unresolved e) {
      return Optional.of("include <" + target.name() + "> " + e.getMessage());
    }
    Deque<Path> todo = new ArrayDeque<>();
    first.ifPresent(todo::add);
    Set<Path> seen = new HashSet<>();
    try {
      while (!todo.isEmpty() && seen.size() < MAX_FILES) {
        Path file = todo.pop();
        if (!seen.add(file)) {
          continue;
        }
        if (Files.isDirectory(file)) {
          try (Stream<Path> s = Files.list(file)) {
            s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().forEach(todo::push);
          }
          continue;
        }
        Matcher m = INCLUDE_LINE.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
          boolean ifExists = m.group(1) != null;
          String name = m.group(2) != null ? m.group(2).strip() : m.group(3);
          try {
            Optional<Path> next = m.group(2) != null ? resolve(name, ifExists) : absolute(name, ifExists);
            next.ifPresent(todo::push);
          } catch (Unresolved e) {
            return Optional.of("include <" + target.name() + "> pulls in " + shownPath(file)
                + ", whose include of " + name + " " + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      return Optional.of("include <" + target.name() + "> cannot be read: " + e.getMessage());
    }
    return Optional.empty();
  }

  private Optional<Path> resolve(String name, boolean ifExists) {
    Path file = dir.resolve(name).normalize();
    String where = shown.resolve(name).toString();
    if (!file.startsWith(dir)) {
      throw new Unresolved("leaves " + shown);
    }
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (ifExists) {
        return Optional.empty();
      }
      throw new Unresolved("does not resolve: " + where + " does not exist on this host"
          + " (use 'include if exists' for a file that may be missing)");
    }
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(dir.toRealPath())) {
        throw new Unresolved("resolves outside " + shown + " (" + where + " is a link to " + real + ")");
      }
      return Optional.of(real);
    } catch (IOException e) {
      throw new Unresolved("cannot be resolved: " + where + ": " + e.getMessage());
    }
  }

  /** A quoted include in a host file: an absolute path as seen from inside the root. */
  private Optional<Path> absolute(String name, boolean ifExists) {
    Path inside = Path.of(name);
    if (!inside.isAbsolute() || !inside.normalize().startsWith(shown)) {
      throw new Unresolved("is not under " + shown);
    }
    return resolve(shown.relativize(inside.normalize()).toString(), ifExists);
  }

  private String shownPath(Path real) {
    try {
      Path base = dir.toRealPath();
      return real.startsWith(base) ? shown.resolve(base.relativize(real).toString()).toString() : real.toString();
    } catch (IOException e) {
      return real.toString();
    }
  }

  /** Why one include does not resolve; only used inside this check. */
  private static final class Unresolved extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unresolved(String message) {
      super(message, null, false, false);
    }
  }
}
