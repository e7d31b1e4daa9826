package io.svirtctl.host;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One managed file as read from the host: its path as seen inside the root (for example {@code
 * /etc/libvirt/qemu.conf}), its text when it exists, and the fingerprint of its bytes.
 *
 * <p>The text is a strict UTF-8 decoding, so {@link #bytes()} gives back exactly the bytes read.
 */
public record HostFile(Path path, Optional<String> text, Fingerprint fingerprint) {

  public HostFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("a host file's path must be absolute: " + path);
    }
    if (text.isPresent() == fingerprint.isAbsent()) {
      throw new IllegalArgumentException(
          "fingerprint "
              + fingerprint
              + " does not match "
              + (text.isPresent() ? "a present" : "an absent")
              + " file "
              + path);
    }
  }

  /** A file that does not exist on the host. */
  public static HostFile absent(Path path) {
    return new HostFile(path, Optional.empty(), Fingerprint.ABSENT);
  }

  /** A file that holds exactly this text (UTF-8). */
  public static HostFile of(Path path, String text) {
    return new HostFile(path, Optional.of(text), Fingerprint.ofText(text));
  }

  /** Whether the file exists on the host. */
  public boolean exists() {
    return text.isPresent();
  }

  /** The file's bytes (its text in UTF-8), or empty when it does not exist. */
  public Optional<byte[]> bytes() {
    return text.map(t -> t.getBytes(StandardCharsets.UTF_8));
  }
}
