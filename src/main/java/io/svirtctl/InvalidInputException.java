package io.svirtctl;

import java.util.List;

/**
 * An input (state file, qemu.conf, profile, domain XML) that cannot be accepted. Carries every
 * diagnostic found, sorted by position. Nothing has been written when it is thrown.
 */
public class InvalidInputException extends SvirtctlException {

  private final List<Diagnostic> diagnostics;

  public InvalidInputException(List<Diagnostic> diagnostics) {
    super(summary(diagnostics));
    this.diagnostics = diagnostics.stream().sorted().toList();
  }

  public InvalidInputException(SourceLocation location, String message) {
    this(List.of(new Diagnostic(location, message)));
  }

  /** Every problem found, sorted by file, line and column. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  private static String summary(List<Diagnostic> diagnostics) {
    if (diagnostics.isEmpty()) {
      throw new IllegalArgumentException("an invalid input needs at least one diagnostic");
    }
    return diagnostics.stream().sorted().findFirst().orElseThrow().toString();
  }
}
