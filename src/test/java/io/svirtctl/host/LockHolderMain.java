package io.svirtctl.host;

import io.svirtctl.TestHosts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second process for {@link RunLockTest}: takes the run lock of the root given as its argument,
 * prints {@code locked}, and holds the lock until a line (or end of input) arrives on stdin.
 */
public final class LockHolderMain {

  private LockHolderMain() {}

  public static void main(String[] args) throws IOException {
    try (RunLock lock = RunLock.acquire(TestHosts.layout(Path.of(args[0])))) {
      System.out.println("locked");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }
}
