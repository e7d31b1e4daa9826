package io.svirtctl.cli;

import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a state file given as {@code -f FILE} or {@code -f -}, and its display name. */
record StateInput(String name, byte[] content) {

  /** Read at most this much: one byte over the loader's cap is enough for it to refuse. */
  private static final int READ_LIMIT = 4 * 1024 * 1024 + 1;

  static StateInput read(String file, InputStream stdin) {
    String name = file.equals("-") ? "<stdin>" : file;
    try {
      if (file.equals("-")) {
        return new StateInput(name, stdin.readNBytes(READ_LIMIT));
      }
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        return new StateInput(name, in.readNBytes(READ_LIMIT));
      }
    } catch (IOException e) {
      throw new InvalidInputException(SourceLocation.ofFile(name), "cannot read the state file: " + reason(e));
    }
  }

  /** The machine's hostname, the default of {@code --host}. */
  static String hostname() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
      return h.isEmpty() ? "localhost" : h;
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return String.valueOf(e.getMessage());
  }
}
