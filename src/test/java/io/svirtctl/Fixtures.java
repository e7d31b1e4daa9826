package io.svirtctl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared real-world fixtures are ({@code ../shared/fixtures}, or the
 * {@code svirtctl.fixtures} system property). CI always has them and {@code .ci/run} fails
 * without them; elsewhere tests that need them are skipped with the reason.
 */
public final class Fixtures {

  private Fixtures() {}

  /** The fixtures directory; skips the calling test when it is missing. */
  public static Path root() {
    String configured = System.getProperty("svirtctl.fixtures", "../shared/fixtures");
    Path p = Path.of(configured).toAbsolutePath().normalize();
    assumeTrue(Files.isDirectory(p), "shared fixtures not found at " + p);
    return p;
  }

  /** A path inside the fixtures directory; skips the calling test when it is missing. */
  public static Path path(String relative) {
    Path p = root().resolve(relative);
    assumeTrue(Files.exists(p), "fixture not found: " + p);
    return p;
  }
}
