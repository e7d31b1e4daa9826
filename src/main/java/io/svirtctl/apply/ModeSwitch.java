package io.svirtctl.apply;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.apparmor.ProfileHeader;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.OperationFailedException;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.RunLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * An idempotent, all-or-nothing batch aa-complain/aa-enforce on profile files: every file is
 * parsed before the first write, files already in the mode are not written, the changed ones
 * are written as one journaled run through the {@link WritePath} under the run lock (listed by
 * {@code history}, undone by {@code rollback}), then the loaded ones are reloaded.
 */
public final class ModeSwitch {

  private final HostLayout layout;
  private final ApparmorParser parser;
  private final Clock clock;

  public ModeSwitch(HostLayout layout, ApparmorParser parser) {
    this(layout, parser, Clock.systemUTC());
  }

  public ModeSwitch(HostLayout layout, ApparmorParser parser, Clock clock) {
    this.layout = layout;
    this.parser = parser;
    this.clock = clock;
  }

  /** One file whose text the mode change alters. */
  private record Change(
      String shown, Path logical, Path real, Fingerprint before, Charset charset,
      ProfileDocument after) {}

  /**
   * Sets {@code mode} in every file (absolute paths are taken inside the root).
   *
   * @param check only report; write nothing
   * @param reload replace the changed profiles the kernel has loaded
   * @return the files that changed (or would, with {@code check}), as given
   * @throws InvalidInputException when any file is missing or not a readable profile; nothing
   *     is written then
   */
  public List<String> run(Mode mode, List<Path> files, boolean check, boolean reload) {
    List<Change> changes;
    if (check) {
      changes = plan(mode, files);
    } else {
      // The same run lock as apply: the two never edit a profile at the same time.
      try (RunLock lock = RunLock.acquire(layout)) {
        changes = plan(mode, files);
        write(mode, changes);
      }
      if (reload && !changes.isEmpty()) {
        reloadLoaded(changes);
      }
    }
    return changes.stream().map(Change::shown).toList();
  }

  /** Reads and parses every file first, so one bad file means nothing is written. */
  private List<Change> plan(Mode mode, List<Path> files) {
    List<Diagnostic> problems = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    for (Path given : files) {
      Path real = given.isAbsolute() ? layout.resolve(given) : given.toAbsolutePath().normalize();
      String shown = given.toString();
      try {
        if (!Files.isRegularFile(real)) {
          throw new InvalidInputException(SourceLocation.ofFile(shown), "no such profile file");
        }
        byte[] bytes = Files.readAllBytes(real);
        Charset charset = charsetOf(bytes);
        ProfileDocument before = ProfileDocument.parse(shown, new String(bytes, charset));
        ProfileDocument after = before.withMode(mode);
        if (!after.text().equals(before.text())) {
          changes.add(
              new Change(
                  shown, logical(given, real), real, Fingerprint.of(Optional.of(bytes)), charset,
                  after));
        }
      } catch (InvalidInputException e) {
        problems.addAll(e.diagnostics());
      } catch (IOException e) {
        problems.add(new Diagnostic(SourceLocation.ofFile(shown), "cannot read: " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return changes;
  }

  /** One journaled run through the write path, which rolls back ({@code svirtctl rollback}). */
  private void write(Mode mode, List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    List<WritePath.Change> writes =
        changes.stream()
            .map(
                c ->
                    WritePath.Change.write(
                        c.logical(), c.before(), c.after().text().getBytes(c.charset())))
            .toList();
    new WritePath(layout, clock)
        .allowingProfiles()
        .commit(
            "profile-mode " + mode.label() + " "
                + String.join(" ", changes.stream().map(Change::shown).toList()),
            writes,
            changes.size() + " profile file(s) set to " + mode.label());
  }

  /** The file as seen inside the root; a relative one must lie under the root too. */
  private Path logical(Path given, Path real) {
    if (given.isAbsolute()) {
      return given.normalize();
    }
    if (!real.startsWith(layout.root())) {
      throw new OperationFailedException(
          "refusing to write " + real + ": not a file svirtctl manages (outside " + layout.root()
              + ")");
    }
    return Path.of("/").resolve(layout.root().relativize(real).toString());
  }

  /** apparmor_parser -r only for files with a profile the kernel has loaded. */
  private void reloadLoaded(List<Change> changes) {
    KernelStatus kernel = KernelStatus.read(layout);
    if (!kernel.enabled()) {
      return;
    }
    for (Change c : changes) {
      if (c.after().headers().stream().map(ProfileHeader::path).anyMatch(kernel::isLoaded)) {
        parser.replace(c.real());
      }
    }
  }

  /** UTF-8 when the bytes are valid UTF-8, else Latin-1, which gives every byte back unchanged. */
  private static Charset charsetOf(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return StandardCharsets.UTF_8;
    } catch (CharacterCodingException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }
}
