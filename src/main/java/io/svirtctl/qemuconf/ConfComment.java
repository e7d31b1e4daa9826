package io.svirtctl.qemuconf;

import java.util.Objects;

/** A comment standing as its own statement; {@code text} is what follows the {@code #}. */
record ConfComment(String text, int start, int end) implements ConfStatement {

  ConfComment {
    Objects.requireNonNull(text, "text");
  }
}
