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
import java.util.stream.Collectors;

/**
 * Runs AppArmor's {@code apparmor_parser}: a syntax check that needs no AppArmor kernel, and the
 * replacement of a loaded profile. No shell is involved; each run has a timeout, and the parser's
 * standard error becomes the error message.
 */
public final class ApparmorParser {

  /** The feature set Debian's apparmor package ships, used so a check needs no kernel. */
  public static final Path DEFAULT_FEATURES = Path.of("/usr/share/apparmor-features/features");

  private static final Pattern AT_LINE = Pattern.compile(" at line (\\d+)");

  /** apparmor_parser 3.0.8's one-line refusal: "AppArmor parser error for F in profile P at line N: M". */
  private static final Pattern REFUSAL =
      Pattern.compile("AppArmor parser error for .+? in profile (.+) at line (\\d+): (.*)");

  private static final Pattern VERSION = Pattern.compile("version (\\S+)");

  /** A notice the parser prints when it has no kernel interface; not part of any verdict. */
  private static final String CACHE_NOTICE = "Cache read/write disabled";

  private final Path executable;
  private final Duration timeout;
  private final Optional<Path> features;
  private Optional<String> version;

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
   * Compiles a profile without loading it, with {@code baseDir} for relative includes and the
   * include directories searched in order.
   *
   * @return empty when it compiles, else the parser's refusal
   * @throws OperationFailedException when the parser cannot be run or times out
   */
  public Optional<ParserRefusal> compile(Path baseDir, List<Path> includeDirs, Path profileFile) {
    List<String> args = new ArrayList<>(checkArgs());
    args.add("-b");
    args.add(baseDir.toString());
    for (Path dir : includeDirs) {
      args.add("-I");
      args.add(dir.toString());
    }
    args.add(profileFile.toString());
    Result r = run(args);
    if (r.exitCode() == 0) {
      return Optional.empty();
    }
    String message = verdict(r.stderr());
    if (message.isEmpty()) {
      return Optional.of(new ParserRefusal(Optional.empty(), 0, "exit " + r.exitCode()));
    }
    Matcher m = REFUSAL.matcher(message);
    if (m.find()) {
      return Optional.of(
          new ParserRefusal(Optional.of(Path.of(m.group(1))), Integer.parseInt(m.group(2)), m.group(3).strip()));
    }
    return Optional.of(new ParserRefusal(Optional.empty(), 0, message));
  }

  /** The parser's version ("3.0.8") from {@code --version}, asked once; empty when it says none. */
  public synchronized Optional<String> version() {
    if (version == null) {
      Result r = run(List.of(executable.toString(), "--version"), true);
      Matcher m = VERSION.matcher(r.stdout());
      version = r.exitCode() == 0 && m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
    return version;
  }

  /** The parser's name with its version, as refusals print it: "apparmor_parser 3.0.8". */
  public String displayName() {
    return version().map(v -> "apparmor_parser " + v).orElse("apparmor_parser");
  }

  /** The error lines of the parser's standard error, without its kernel-interface notices. */
  private static String verdict(String stderr) {
    return stderr.lines()
        .filter(l -> !l.startsWith(CACHE_NOTICE))
        .collect(Collectors.joining("\n"))
        .strip();
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

  private record Result(int exitCode, String stderr, String stdout) {}

  private Result run(List<String> command) {
    return run(command, false);
  }

  private Result run(List<String> command, boolean keepOutput) {
    if (!isInstalled()) {
      throw new OperationFailedException("apparmor_parser not found at " + executable);
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    if (!keepOutput) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new OperationFailedException("cannot run " + executable + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    CompletableFuture<String> stdout = keepOutput
        ? CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()))
        : CompletableFuture.completedFuture("");
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new OperationFailedException(
            executable + " did not finish within " + timeout.toSeconds() + " s: " + command);
      }
      return new Result(
          p.exitValue(),
          stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS).strip(),
          stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
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
