package io.svirtctl.apply;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.SourceLocation;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.HostLayout;
import io.svirtctl.plan.FileOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs apparmor_parser's syntax check on every profile text a plan would write, before the
 * first write. Candidates are compiled from svirtctl's state directory, never from the managed
 * directories, with the root's AppArmor directory as include path.
 */
final class ProfileChecker {

  /**
   * libvirt writes the guest's {@code .files} list only when the guest starts, so a new guest's
   * profile includes a file that does not exist yet; the check compiles it as "include if
   * exists". The written profile keeps libvirt's own include.
   */
  private static final Pattern FILES_INCLUDE =
      Pattern.compile("(?m)^(\\s*)#include (<libvirt/libvirt-[0-9a-f-]{36}\\.files>)");

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
      for (FileOperation op : profiles) {
        Path candidate = dir.resolve(op.path().getFileName().toString());
        String text = FILES_INCLUDE.matcher(op.after().orElseThrow()).replaceAll(
            m -> Matcher.quoteReplacement(m.group(1) + "#include if exists " + m.group(2)));
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
}
