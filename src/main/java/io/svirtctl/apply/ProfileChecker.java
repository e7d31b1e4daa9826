package io.svirtctl.apply;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.HostLayout;
import io.svirtctl.plan.FileOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs apparmor_parser's syntax check on every profile text a plan would write, before the
 * first write. Candidates are compiled from svirtctl's state directory, never from the managed
 * directories, with the root's AppArmor directory as include path.
 */
final class ProfileChecker {

  /**
   * libvirt writes the guest's {@code .files} list when the guest starts (a new guest has none
   * yet) and rewrites it at every start, so the check compiles the profile without it: it checks
   * what svirtctl writes. The comment keeps line numbers; the written profile keeps the include.
   */
  private static final Pattern FILES_INCLUDE =
      Pattern.compile("(?m)^(\\s*)#include (<libvirt/libvirt-[0-9a-f-]{36}\\.files>)");

  private static final String GUEST_PREFIX = "libvirt-";

  private final HostLayout layout;
  private final ApparmorParser parser;

  ProfileChecker(HostLayout layout, ApparmorParser parser) {
    this.layout = layout;
    this.parser = parser;
  }

  /** Checks every profile; returns warnings (e.g. no parser installed), throws on a bad profile. */
  List<String> check(List<FileOperation> files) {
    List<FileOperation> profiles =
        files.stream().filter(f -> f.profile() && f.after().isPresent()).toList();
    if (profiles.isEmpty()) {
      return List.of();
    }
    if (!parser.isInstalled()) {
      return List.of(
          layout.apparmorParser() + " is not installed: " + profiles.size()
              + " profile(s) written without a syntax check");
    }
    Path dir = layout.resolve(layout.stateDir()).resolve("check");
    try {
      Files.createDirectories(dir);
      Path apparmorDir = layout.resolve(layout.apparmorDir());
      // Guest profiles that differ only in their own UUID compile alike (the UUID only appears
      // in names and paths), so each such shape is compiled once: a run that switches thousands
      // of guests runs the parser once, not once per guest (about 50 ms each).
      Set<String> checkedShapes = new HashSet<>();
      for (FileOperation op : profiles) {
        String name = op.path().getFileName().toString();
        String text = FILES_INCLUDE.matcher(op.after().orElseThrow()).replaceAll(
            m -> Matcher.quoteReplacement(m.group(1) + "# not checked: libvirt's " + m.group(2)));
        if (!checkedShapes.add(shapeOf(name, text))) {
          continue;
        }
        Path candidate = dir.resolve(name);
        Files.writeString(candidate, text, StandardCharsets.UTF_8);
        try {
          parser.check(apparmorDir, candidate);
        } catch (InvalidInputException e) {
          // Name the profile as the user knows it, not the scratch copy that was compiled.
          throw new InvalidInputException(
              e.diagnostics().stream()
                  .map(d -> new Diagnostic(
                      new SourceLocation(op.path().toString(), d.location().line(), d.location().column()),
                      "apparmor_parser refuses the planned profile: " + d.message()))
                  .toList());
        } finally {
          Files.deleteIfExists(candidate);
        }
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot prepare the profile syntax check in " + dir + ": " + e.getMessage(), e);
    }
    return List.of();
  }

  /** The text with a guest profile's own UUID replaced, or the name and text of other files. */
  private static String shapeOf(String fileName, String text) {
    if (fileName.startsWith(GUEST_PREFIX)) {
      String rest = fileName.substring(GUEST_PREFIX.length());
      Optional<Uuid> uuid = Uuid.parse(rest);
      if (uuid.isPresent() && uuid.get().value().equals(rest)) {
        return "guest\n" + text.replace(uuid.get().value(), "\0uuid\0");
      }
    }
    return fileName + "\n" + text;
  }
}
