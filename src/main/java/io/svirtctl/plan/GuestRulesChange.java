package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The managed block of rules of an existing guest profile changes. */
public record GuestRulesChange(GuestId guest, Path path, List<String> before, List<String> after)
    implements Change {

  public GuestRulesChange {
    Objects.requireNonNull(guest, "guest");
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
    return guest.resource() + ".rules";
  }
}
