package io.svirtctl.cli;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import io.svirtctl.host.DomainProblem;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.ManagedPaths;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.GuestResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@code GUEST|FILE} arguments into profile files: anything with a {@code /} is a file; a
 * UUID (any case) is its {@code libvirt-<uuid>} profile; a domain name (persistent or running)
 * is its guest's profile; a bare word no guest has is a file in the working directory if one
 * exists. The host is read only when an argument needs guest names.
 */
final class GuestArguments {

  private GuestArguments() {}

  /**
   * @throws InvalidInputException naming every argument that is neither a guest nor a file, with
   *     the nearest guest name; nothing is changed then
   */
  static List<Path> profiles(List<String> args, HostLayout layout) {
    ManagedPaths paths = new ManagedPaths(layout);
    Optional<HostSnapshot> snap = Optional.empty();
    List<Path> out = new ArrayList<>();
    List<Diagnostic> problems = new ArrayList<>();
    for (String arg : args) {
      if (arg.indexOf('/') >= 0) {
        out.add(Path.of(arg));
        continue;
      }
      Optional<Uuid> uuid = Uuid.parse(arg);
      if (uuid.isEmpty()) {
        if (snap.isEmpty()) {
          // The snapshot reader keeps going past a broken domain XML: one bad file elsewhere
          // does not stop switching a guest whose own XML is fine.
          snap = Optional.of(SnapshotReader.read(layout));
        }
        uuid = GuestResolver.of(snap.get()).byName(arg);
      }
      if (uuid.isPresent()) {
        out.add(paths.guestProfile(uuid.get()));
      } else if (Files.isRegularFile(Path.of(arg))) {
        out.add(Path.of(arg));
      } else {
        problems.add(new Diagnostic(SourceLocation.ofFile(arg), unknown(arg, snap.get())));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return out;
  }

  private static String unknown(String name, HostSnapshot snap) {
    for (DomainProblem p : snap.domainProblems()) {
      if (p.names().contains(name)) {
        return "this guest's domain XML cannot be used: " + p.diagnostic();
      }
    }
    return "no guest of that name is defined or running on this host, and there is no such file"
        + GuestResolver.of(snap).hint(name);
  }
}
