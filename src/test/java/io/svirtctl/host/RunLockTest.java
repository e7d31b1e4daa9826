package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.OperationFailedException;
import io.svirtctl.TestHosts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {

  @TempDir Path root;

  @Test
  void createsAPrivateStateDirectoryWithTheLockFile() throws IOException {
    try (RunLock lock = RunLock.acquire(TestHosts.layout(root))) {
      Path state = root.resolve("var/lib/svirtctl");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
          .isEqualTo("rwx------");
      assertThat(state.resolve("lock")).isRegularFile();
    }
  }

  @Test
  void secondHolderInTheSameProcessWaitsThenFailsClearly() {
    try (RunLock first = RunLock.acquire(TestHosts.layout(root))) {
      assertThatThrownBy(() -> RunLock.acquire(TestHosts.layout(root, Duration.ofSeconds(1))))
          .isInstanceOf(OperationFailedException.class)
          .hasMessage(
              "another svirtctl run holds "
                  + root.resolve("var/lib/svirtctl/lock")
                  + "; waited 1 s");
    }
    // Released on close: the next run gets it.
    try (RunLock again = RunLock.acquire(TestHosts.layout(root))) {
      assertThat(again).isNotNull();
    }
  }

  @Test
  void lockHeldByAnotherProcessTimesOutClearlyAndIsFreedWhenItEnds() throws Exception {
    Process child = startHolder();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");

      assertThatThrownBy(() -> RunLock.acquire(TestHosts.layout(root, Duration.ofSeconds(1))))
          .isInstanceOf(OperationFailedException.class)
          .hasMessage(
              "another svirtctl run holds "
                  + root.resolve("var/lib/svirtctl/lock")
                  + "; waited 1 s");

      try (OutputStream in = child.getOutputStream()) {
        in.write('\n');
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
    }
    try (RunLock mine = RunLock.acquire(TestHosts.layout(root))) {
      assertThat(mine).isNotNull();
    }
  }

  @Test
  void lockOfAKilledProcessIsFree() throws Exception {
    Process child = startHolder();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (RunLock mine = RunLock.acquire(TestHosts.layout(root, Duration.ofSeconds(5)))) {
      assertThat(mine).isNotNull();
    }
  }

  @Test
  void symlinkedStateDirectoryIsRefused() throws IOException {
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Files.createDirectories(root.resolve("var/lib"));
    Path state = Files.createSymbolicLink(root.resolve("var/lib/svirtctl"), elsewhere);
    assertThatThrownBy(() -> RunLock.acquire(TestHosts.layout(root)))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("refusing to use " + state + ": it is a symbolic link");
    assertThat(elsewhere.resolve("lock")).doesNotExist();
  }

  private Process startHolder() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            java, "-cp", classpath, LockHolderMain.class.getName(), root.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }
}
