package io.svirtctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A stand-in for apparmor_parser where only the kernel is fake: syntax checks ({@code -Q})
 * run the real parser when it is installed; kernel loads ({@code -r}, {@code -R}, {@code -a}),
 * which need an AppArmor kernel these sandboxes lack, are recorded in {@code parser.log}.
 */
public final class FakeParser {

  public static final Path REAL = Path.of("/sbin/apparmor_parser");

  private FakeParser() {}

  /** Writes the stand-in under {@code dir}; returns the environment that selects it. */
  public static Map<String, String> install(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path script = dir.resolve("apparmor_parser");
    Path log = dir.resolve("parser.log");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "for a in \"$@\"; do case $a in -r|-R|-a|--replace|--remove|--add)\n"
            + "  echo \"$*\" >> '" + log + "'; exit 0;; esac; done\n"
            + "if [ -x " + REAL + " ]; then exec " + REAL + " \"$@\"; fi\n"
            + "exit 0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return Map.of("SVIRTCTL_APPARMOR_PARSER", script.toString());
  }

  /** The kernel operations recorded so far. */
  public static String log(Path dir) throws IOException {
    Path log = dir.resolve("parser.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
