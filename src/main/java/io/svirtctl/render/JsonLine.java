package io.svirtctl.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Prints one JSON document as one line, the shape every {@code -o json} output has. */
public final class JsonLine {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLine() {}

  /** Writes {@code document} (a record with Jackson annotations, or a tree) and a newline. */
  public static void print(Object document, PrintWriter out) {
    try {
      out.println(MAPPER.writeValueAsString(document));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An empty object to fill in key order. */
  static com.fasterxml.jackson.databind.node.ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
