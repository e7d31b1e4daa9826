package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** One run of the packaged jar ({@code svirtctl.jar} system property) as a child JVM. */
record JarRun(int code, String out, String err) {

  /** Starts the jar; the caller waits with {@link #finish(Process)}. */
  static Process start(List<String> jvmOptions, Map<String, String> env, String... args) {
    String jar = System.getProperty("svirtctl.jar", "target/svirtctl.jar");
    Assumptions.assumeTrue(Files.isRegularFile(Path.of(jar)), "packaged jar missing: " + jar);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Short-lived runs: the quick compiler and a small heap start fastest.
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // The child must not see svirtctl settings of whoever runs the build.
    pb.environment().keySet().removeIf(k -> k.startsWith("SVIRTCTL_"));
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JarRun finish(Process p) {
    try {
      // Standard error is small; read it on a second thread so neither pipe fills and blocks.
      StringBuilder err = new StringBuilder();
      Thread errReader =
          new Thread(
              () -> {
                try {
                  err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  err.append("<stderr unreadable: ").append(e.getMessage()).append('>');
                }
              });
      errReader.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
      errReader.join();
      return new JarRun(p.exitValue(), out, err.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * JVM options that share one class-data archive between runs of the jar: the first run with
   * them writes {@code archive}, later runs map it and start faster. Tests that start hundreds of
   * JVMs use it; a JVM that cannot use the archive just starts normally.
   */
  static List<String> sharedClasses(Path archive) {
    return Files.exists(archive)
        ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")
        : List.of("-XX:ArchiveClassesAtExit=" + archive);
  }

  static JarRun run(List<String> jvmOptions, Map<String, String> env, String... args) {
    return finish(start(jvmOptions, env, args));
  }
}
