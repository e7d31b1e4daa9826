package io.svirtctl.plan;

import io.svirtctl.Diagnostic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What apparmor_parser said about every profile of a host, compiled as they are: doctor's input.
 *
 * @param parser the parser with its version ("apparmor_parser 3.0.8"), empty when not installed
 * @param compiled how many profiles were compiled (guests that differ only in their UUID once)
 * @param refusals one per refused profile, at the host file and line the parser blames
 */
public record ProfileCompilation(Optional<String> parser, int compiled, List<Diagnostic> refusals) {

  public ProfileCompilation {
    Objects.requireNonNull(parser, "parser");
    refusals = List.copyOf(refusals);
  }

  /** Nothing compiled: no parser on this machine. */
  public static ProfileCompilation notInstalled() {
    return new ProfileCompilation(Optional.empty(), 0, List.of());
  }
}
