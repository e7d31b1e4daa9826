package io.svirtctl.plan;

import io.svirtctl.Diagnostic;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Collects the parts of one plan while the planners run; used once, then discarded. */
final class PlanBuilder {

  private final List<Change> changes = new ArrayList<>();
  private final List<FileOperation> files = new ArrayList<>();
  private final List<ProfileReload> reloads = new ArrayList<>();
  private final Set<String> restartRequired = new LinkedHashSet<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();

  void change(Change change) {
    changes.add(change);
  }

  /** Writes {@code after} over {@code file} when it differs from the file's current text. */
  boolean write(HostFile file, String after, boolean profile) {
    if (file.text().isPresent() && file.text().get().equals(after)) {
      return false;
    }
    files.add(
        new FileOperation(
            file.path(), Optional.of(file.fingerprint()), file.text(), Optional.of(after), profile));
    return true;
  }

  /**
   * Writes an executable script over {@code file} when it differs from the file's text, or when
   * {@code notExecutable} (same text, but a mode libvirt skips).
   */
  boolean writeExecutable(HostFile file, String after, boolean notExecutable) {
    if (!notExecutable && file.text().isPresent() && file.text().get().equals(after)) {
      return false;
    }
    files.add(
        new FileOperation(
            file.path(), Optional.of(file.fingerprint()), file.text(), Optional.of(after), false,
            true));
    return true;
  }

  void delete(HostFile file) {
    files.add(
        new FileOperation(
            file.path(), Optional.of(file.fingerprint()), file.text(), Optional.empty(), false));
  }

  /** Deletes a file svirtctl never reads (a guest's {@code .files} list). */
  void deleteUnread(Path path) {
    files.add(new FileOperation(path, Optional.empty(), Optional.empty(), Optional.empty(), false));
  }

  /** Adds a reload unless the profile is already reloaded by this plan. */
  void reload(ProfileReload reload) {
    if (reloads.stream().noneMatch(r -> r.profileName().equals(reload.profileName()))) {
      reloads.add(reload);
    }
  }

  /** Whether the plan deletes the file at {@code path}. */
  boolean deletes(Path path) {
    return files.stream().anyMatch(f -> f.isDelete() && f.path().equals(path));
  }

  void restart(String daemon) {
    restartRequired.add(daemon);
  }

  void warn(String warning) {
    warnings.add(warning);
  }

  /** Leaves {@code resource} out of the run, one failure per diagnostic. */
  void fail(String resource, List<Diagnostic> why) {
    for (Diagnostic d : why) {
      failures.add(new Failure(resource, d.toString()));
    }
  }

  Plan build(String host, TreeMap<Path, Fingerprint> inputs) {
    return new Plan(
        host, changes, files, reloads, List.copyOf(restartRequired), warnings, inputs, failures);
  }
}
