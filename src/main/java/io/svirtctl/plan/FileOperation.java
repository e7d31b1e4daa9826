package io.svirtctl.plan;

import io.svirtctl.host.Fingerprint;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One file the applier writes or deletes, with the full text before and after.
 *
 * @param path the file as seen inside the root
 * @param expected the fingerprint the file had when planned; the applier refuses to touch a
 *     file that no longer has it. Empty for files svirtctl never reads (a guest's {@code .files}
 *     list, deleted with its pruned profile).
 * @param before the text before, empty when the file does not exist or is not read
 * @param after the text after, empty when the file is deleted
 * @param profile true when the new text is an AppArmor profile that must pass the parser's
 *     syntax check before anything is written
 * @param executable true for a script libvirt runs (the qemu hook): written with mode 0755, its
 *     missing parent directories created
 */
public record FileOperation(
    Path path,
    Optional<Fingerprint> expected,
    Optional<String> before,
    Optional<String> after,
    boolean profile,
    boolean executable) {

  public FileOperation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (profile && after.isPresent() && after.get().isEmpty()) {
      // Never a 0-byte profile: libvirt regenerates 0-byte profiles, losing their customisation.
      throw new IllegalArgumentException("refusing to plan an empty profile: " + path);
    }
  }

  /** A plain (not executable) file operation. */
  public FileOperation(
      Path path,
      Optional<Fingerprint> expected,
      Optional<String> before,
      Optional<String> after,
      boolean profile) {
    this(path, expected, before, after, profile, false);
  }

  /** True when the file is deleted. */
  public boolean isDelete() {
    return after.isEmpty();
  }
}
