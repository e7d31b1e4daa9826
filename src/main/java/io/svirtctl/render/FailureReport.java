package io.svirtctl.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * The JSON object a failing {@code -o json} run prints on standard output (DESIGN.md section 3):
 * {@code failed}, {@code rc} and {@code msg} as Ansible's modules report a failure, so a caller
 * that parses standard output always finds one object. Standard error keeps the one-line error.
 */
public final class FailureReport {

  private FailureReport() {}

  /**
   * @param host the host the run was for, when the command line named it
   * @param errors every error line of the run (without the {@code svirtctl: } prefix); the first
   *     is {@code msg}
   */
  public static void print(Optional<String> host, int rc, List<String> errors, PrintWriter out) {
    ObjectNode doc = JsonLine.object();
    doc.put("format_version", JsonRenderer.FORMAT_VERSION);
    host.ifPresent(h -> doc.put("host", h));
    doc.put("changed", false);
    doc.put("failed", true);
    doc.put("rc", rc);
    doc.put("msg", errors.isEmpty() ? "svirtctl failed" : String.join("; ", errors));
    errors.forEach(doc.putArray("errors")::add);
    doc.putArray("warnings");
    JsonLine.print(doc, out);
  }
}
