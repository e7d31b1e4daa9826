package io.svirtctl.cli;

import io.svirtctl.render.LearnFormat;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code svirtctl learn}. */
final class LearnOptions {

  @Option(names = "--log", paramLabel = "FILE",
      description = "A log to read (repeatable; - is standard input, gzip is read as such)."
          + " Default: the first of the root's var/log/audit/audit.log, var/log/kern.log,"
          + " var/log/syslog.")
  List<String> logs = new ArrayList<>();

  @Option(names = {"-f", "--file"}, paramLabel = "STATE.yaml",
      description = "Desired state: rules it already declares are not proposed again.")
  String file;

  @Option(names = "--host", paramLabel = "H",
      description = "Host whose state a Fleet file gives (default: this machine's hostname).")
  String host;

  @Option(names = "--write",
      description = "Merge the proposed rules into the -f file in place, every other byte kept.")
  boolean write;

  @Option(names = "--guest", paramLabel = "NAME|UUID",
      description = "Only this guest (repeatable).")
  List<String> guests = new ArrayList<>();

  @Option(names = "--since", paramLabel = "TIME",
      description = "Only events from TIME on: 2026-12-02, 2026-12-02T10:00:00Z, @SECONDS, 12h, 7d.")
  String since;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LearnFormat format;
}
