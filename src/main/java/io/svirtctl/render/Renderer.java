package io.svirtctl.render;

import java.io.PrintWriter;

/** Prints a run's outcome in one output format. */
public interface Renderer {

  void render(RunOutcome outcome, PrintWriter out);

  /** The renderer for a format. */
  static Renderer of(OutputFormat format) {
    return switch (format) {
      case TEXT -> new TextRenderer();
      case JSON -> new JsonRenderer();
    };
  }
}
