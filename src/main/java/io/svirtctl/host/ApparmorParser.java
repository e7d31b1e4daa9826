package io.svirtctl.host;

import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs AppArmor's {@code apparmor_parser}: a syntax check that needs no AppArmor kernel, and the
 * replacement of a loaded profile. No shell is involved; each run has a timeout, and the parser's
 * standard error becomes the error message.
 */
public final class ApparmorParser {

  /** The feature set Debian's apparmor package ships, used so a check needs no kernel. */
  public static final Path DEFAULT_FEATURES = Path.of("/usr/share/apparmor-features/features");

  private static final Pattern AT_LINE = Pattern.compile(" at line (\\d+)");

  private final Path executable;
  private final Duration timeout;
  private final Optional<Path> features;

  /** A runner using {@link #DEFAULT_FEATURES} when that file exists. */
  public ApparmorParser(Path executable, Duration timeout) {
    this(
        executable,
        timeout,
        Files.isRegularFile(DEFAULT_FEATURES) ? Optional.of(DEFAULT_FEATURES) : Optional.empty());
  }

  /** A runner with an explicit feature file for {@code -M} (empty: the parser's own default). */
  public ApparmorParser(Path executable, Duration timeout, Optional<Path> features) {
    this.executable = Objects.requireNonNull(executable, "executable");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.features = Objects.requireNonNull(features, "features");
    if (!executable.isAbsolute()) {
      throw new IllegalArgumentException("apparmor_parser must be an absolute path: " + executable);
    }
  }

  /** Whether the parser exists and can be run. */
  public boolean isInstalled() {
    return Files.isRegularFile(executable) && Files.isExecutable(executable);
  }

  /**
   * Checks that a profile compiles, against the includes of the root's AppArmor directory only.
   *
   * @param apparmorDir the root's {@code /etc/apparmor.d}, as a real path
   * @throws InvalidInputException with the parser's message when the profile does not compile
   * @throws OperationFailedException when the parser cannot be run or times out
   */
  public void check(Path apparmorDir, Path profileFile) {
    List<String> args = new ArrayList<>(checkArgs());
    args.add("-b");
    args.add(apparmorDir.toString());
    args.add("-I");
    args.add(apparmorDir.toString());
    args.add(profileFile.toString());
    compile(args, profileFile);
  }

  /** Checks that a profile compiles against the given include directories, in order. */
  public void check(List<Path> includeDirs, Path profileFile) {
    List<String> args = new ArrayList<>(checkArgs());
    for (Path dir : includeDirs) {
      args.add("-I");
      args.add(dir.toString());
    }
    args.add(profileFile.toString());
    compile(args, profileFile);
  }

  /**
   * Replaces the loaded profiles of a file in the kernel ({@code apparmor_parser -r}).
   *
   * @throws OperationFailedException with the parser's message on failure
   */
  public void replace(Path profileFile) {
    Result r = run(List.of(executable.toString(), "-r", profileFile.toString()));
    if (r.exitCode() != 0) {
      throw new OperationFailedException(
          "apparmor_parser -r " + profileFile + " failed (exit " + r.exitCode() + "): " + r.stderr());
    }
  }

  private List<String> checkArgs() {
    List<String> args = new ArrayList<>(List.of(executable.toString(), "-Q", "-K"));
    features.ifPresent(
        f -> {
          args.add("-M");
          args.add(f.toString());
        });
    return args;
  }

  private void compile(List<String> args, Path profileFile) {
    Result r = run(args);
    if (r.exitCode() != 0) {
      String message =
          r.stderr().isEmpty() ? "apparmor_parser exit " + r.exitCode() : r.stderr();
      Matcher m = AT_LINE.matcher(message);
      int line = m.find() ? Integer.parseInt(m.group(1)) : 0;
      throw new InvalidInputException(
          new SourceLocation(profileFile.toString(), line, 0),
          "apparmor_parser rejects the profile: " + message);
    }
  }

  private record Result(int exitCode, String stderr) {}

  private Result run(List<String> command) {
    if (!isInstalled()) {
      throw new OperationFailedException("apparmor_parser not found at " + executable);
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new OperationFailedException("cannot run " + executable + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new OperationFailedException(
            executable + " did not finish within " + timeout.toSeconds() + " s: " + command);
      }
      return new Result(p.exitValue(), stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS).strip());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while running " + executable, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OperationFailedException("cannot read the output of " + executable, e);
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
