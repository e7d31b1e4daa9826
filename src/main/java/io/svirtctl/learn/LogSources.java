package io.svirtctl.learn;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Opens the logs learn reads: a file ({@code .gz} or gzip magic read as gzip), standard input
 * ({@code -}), or by default the first of the root's audit.log, kern.log and syslog that exists.
 */
public final class LogSources {

  /** Where records are looked for when no {@code --log} is given, in order. */
  public static final List<Path> DEFAULTS = List.of(
      Path.of("var/log/audit/audit.log"), Path.of("var/log/kern.log"), Path.of("var/log/syslog"));

  private static final int BUFFER = 1 << 16;

  private LogSources() {}

  /** The first default log under {@code root} that exists. */
  public static Optional<Path> firstDefault(Path root) {
    return DEFAULTS.stream().map(root::resolve).filter(Files::isRegularFile).findFirst();
  }

  /** Reads every line of {@code name} ({@code -} is {@code stdin}) into {@code learner}. */
  public static void read(String name, InputStream stdin, Learner learner) {
    String shown = name.equals("-") ? "<stdin>" : name;
    try {
      if (!name.equals("-") && Files.isRegularFile(Path.of(name)) && !gzip(Path.of(name))) {
        learner.read(shown, Path.of(name));
        return;
      }
    } catch (IOException e) {
      throw unreadable(shown, e);
    }
    try (InputStream raw = name.equals("-") ? nonClosing(stdin) : Files.newInputStream(Path.of(name));
        InputStream body = body(raw)) {
      learner.read(shown, body);
    } catch (IOException e) {
      throw unreadable(shown, e);
    }
  }

  private static InvalidInputException unreadable(String shown, IOException e) {
    return new InvalidInputException(SourceLocation.ofFile(shown),
        "cannot read the log: " + (e.getMessage() == null ? e.getClass().getSimpleName()
            : e.getMessage()));
  }

  private static boolean gzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  /** The bytes of the log: gunzipped when it starts with gzip's magic bytes. */
  private static InputStream body(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, BUFFER) : in;
  }

  private static InputStream nonClosing(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {
        // Standard input belongs to the caller.
      }
    };
  }
}
