package io.svirtctl.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svirtctl.state.HostState;
import io.svirtctl.state.SpecWriter;
import java.io.PrintWriter;

/**
 * Prints what {@code export} found: a {@code kind: Host} state file headed by a comment naming
 * the host it describes, or one JSON object {@code {"format_version", "host", "state"}}.
 */
public final class ExportReport {

  private ExportReport() {}

  public static void print(HostState state, ExportFormat format, PrintWriter out) {
    switch (format) {
      case YAML -> {
        // A kind: Host file has no host key (it applies wherever it is given); the comment keeps
        // which host it was taken from. Control characters would end the comment early.
        out.println("# svirtctl export of host " + state.host().replaceAll("\\p{Cntrl}", "?"));
        out.print(StateYaml.write(state));
      }
      case JSON -> {
        ObjectNode doc = JsonLine.object();
        doc.put("format_version", JsonRenderer.FORMAT_VERSION);
        doc.put("host", state.host());
        doc.put("changed", false);
        doc.set("state", SpecWriter.tree(state));
        JsonLine.print(doc, out);
      }
    }
    out.flush();
  }
}
