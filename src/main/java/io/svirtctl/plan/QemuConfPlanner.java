package io.svirtctl.plan;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.host.HostFile;
import io.svirtctl.qemuconf.QemuConfDocument;
import io.svirtctl.qemuconf.QemuValue;
import io.svirtctl.state.QemuSetting;
import java.util.List;
import java.util.Optional;

/** Plans the qemu.conf part: each desired key set or unset with libvirt's first-wins reading. */
final class QemuConfPlanner {

  private QemuConfPlanner() {}

  static void plan(List<QemuSetting> settings, HostFile file, String daemon, PlanBuilder out) {
    if (settings.isEmpty()) {
      return;
    }
    String name = file.path().toString();
    QemuConfDocument doc = QemuConfDocument.parse(name, file.text().orElse(""));
    QemuConfDocument edited = doc;
    for (QemuSetting s : settings) {
      Optional<QemuValue> current = edited.get(s.key());
      int occurrences = edited.occurrences(s.key());
      if (s.value().isPresent()) {
        QemuValue want = s.value().get();
        if (current.isPresent() && current.get().equals(want) && occurrences == 1) {
          continue;
        }
        edited = edited.set(s.key(), want);
        out.change(
            new QemuKeyChange(file.path(), s.key(), current, s.value(), Math.max(0, occurrences - 1)));
      } else if (occurrences > 0) {
        edited = edited.unset(s.key());
        out.change(
            new QemuKeyChange(file.path(), s.key(), current, Optional.empty(), occurrences - 1));
      }
    }
    refuseUnconfinedLockout(edited, name);
    for (Diagnostic d : edited.validate()) {
      out.warn(d + " (libvirt will refuse this qemu.conf)");
    }
    if (edited != doc && out.write(file, edited.text(), false)) {
      out.restart(daemon);
    }
  }

  /** security_driver "none" with security_require_confined = 1 stops libvirtd (DESIGN.md §1). */
  private static void refuseUnconfinedLockout(QemuConfDocument doc, String name) {
    boolean none =
        doc.get("security_driver")
            .map(v -> v.equals(new QemuValue.Str("none"))
                || v.equals(QemuValue.Lst.ofStrings(List.of("none"))))
            .orElse(false);
    boolean require = doc.get("security_require_confined").map(v -> v.equals(QemuValue.Int.of(1))).orElse(false);
    if (none && require) {
      throw new InvalidInputException(
          SourceLocation.ofFile(name),
          "security_driver \"none\" together with security_require_confined = 1 would stop libvirtd");
    }
  }
}
