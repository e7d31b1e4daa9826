package io.svirtctl.apply;

import io.svirtctl.OperationFailedException;
import io.svirtctl.Uuid;
import io.svirtctl.host.ManagedPaths;
import java.nio.file.Path;
import java.util.Set;

/** Refuses any write outside the files svirtctl manages (DESIGN.md §1), whatever a plan says. */
final class ManagedPathGuard {

  private final ManagedPaths paths;
  private final Set<Path> fixed;

  ManagedPathGuard(ManagedPaths paths) {
    this.paths = paths;
    this.fixed =
        Set.of(
            paths.qemuConf(),
            paths.templateQemu(),
            paths.templateLegacy(),
            paths.siteRulesLocal(),
            paths.siteRulesDropIn(),
            paths.qemuHook(),
            paths.hookRecord());
  }

  void check(Path path) {
    if (fixed.contains(path)) {
      return;
    }
    if (path.getParent() != null && path.getParent().equals(paths.libvirtProfileDir())) {
      String name = path.getFileName().toString();
      String uuid = name.startsWith("libvirt-") ? name.substring("libvirt-".length()) : "";
      if (uuid.endsWith(".files")) {
        uuid = uuid.substring(0, uuid.length() - ".files".length());
      }
      if (Uuid.parse(uuid).map(u -> u.toString().equals(name.substring(8, 8 + 36))).orElse(false)) {
        return;
      }
    }
    throw new OperationFailedException("refusing to write " + path + ": not a file svirtctl manages");
  }
}
