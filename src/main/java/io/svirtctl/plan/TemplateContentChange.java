package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.Objects;

/** The whole template file is replaced by the desired content (or created). */
public record TemplateContentChange(Path path, boolean existed) implements Change {

  public TemplateContentChange {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public Action action() {
    return existed ? Action.UPDATE : Action.CREATE;
  }

  @Override
  public String resource() {
    return "apparmor.template.content";
  }
}
