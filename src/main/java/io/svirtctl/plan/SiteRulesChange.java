package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The site rules every guest gets, through the local libvirt-qemu abstraction, change. */
public record SiteRulesChange(Path path, List<String> before, List<String> after)
    implements Change {

  public SiteRulesChange {
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
    return "apparmor.site_rules";
  }
}
