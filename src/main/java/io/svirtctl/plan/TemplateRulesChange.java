package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The managed block of rules of the template changes (every new guest profile gets them). */
public record TemplateRulesChange(Path path, List<String> before, List<String> after)
    implements Change {

  public TemplateRulesChange {
    Objects.requireNonNull(path, "path");
    before = List.copyOf(before);
    after = List.copyOf(after);
  }

  @Override
  public Action action() {
    return Action.between(!before.isEmpty(), !after.isEmpty());
  }

  @Override
  public String resource() {
    return "apparmor.template.rules";
  }
}
