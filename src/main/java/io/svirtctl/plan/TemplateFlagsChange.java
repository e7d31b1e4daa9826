package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The header flags of {@code profile LIBVIRT_TEMPLATE} change. */
public record TemplateFlagsChange(Path path, List<String> before, List<String> after)
    implements Change {

  public TemplateFlagsChange {
    Objects.requireNonNull(path, "path");
    before = List.copyOf(before);
    after = List.copyOf(after);
  }

  @Override
  public Action action() {
    return Action.UPDATE;
  }

  @Override
  public String resource() {
    return "apparmor.template.flags";
  }
}
