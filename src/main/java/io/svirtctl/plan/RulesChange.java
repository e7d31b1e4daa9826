package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A managed block of rules changes: the template's (every new guest profile gets them), the site
 * rules every guest gets through the local libvirt-qemu abstraction, or one guest's own.
 *
 * @param guest the guest whose block changes; present exactly for {@link Block#GUEST}
 */
public record RulesChange(
    Block block, Optional<GuestId> guest, Path path, List<String> before, List<String> after)
    implements Change {

  /** Whose managed block of rules it is. */
  public enum Block {
    TEMPLATE,
    SITE,
    GUEST
  }

  public RulesChange {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(guest, "guest");
    Objects.requireNonNull(path, "path");
    before = List.copyOf(before);
    after = List.copyOf(after);
    if (guest.isPresent() != (block == Block.GUEST)) {
      throw new IllegalArgumentException("a guest's block names its guest, and only it does");
    }
  }

  /** The template's managed block changes. */
  public static RulesChange template(Path path, List<String> before, List<String> after) {
    return new RulesChange(Block.TEMPLATE, Optional.empty(), path, before, after);
  }

  /** The site rules change. */
  public static RulesChange site(Path path, List<String> before, List<String> after) {
    return new RulesChange(Block.SITE, Optional.empty(), path, before, after);
  }

  /** A guest profile's managed block changes. */
  public static RulesChange guest(GuestId guest, Path path, List<String> before, List<String> after) {
    return new RulesChange(Block.GUEST, Optional.of(guest), path, before, after);
  }

  @Override
  public Action action() {
    return Action.between(!before.isEmpty(), !after.isEmpty());
  }

  @Override
  public String resource() {
    return switch (block) {
      case TEMPLATE -> "apparmor.template.rules";
      case SITE -> "apparmor.site_rules";
      case GUEST -> guest.orElseThrow().resource() + ".rules";
    };
  }
}
