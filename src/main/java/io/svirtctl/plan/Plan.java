package io.svirtctl.plan;

import io.svirtctl.host.Fingerprint;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What it takes to make one host match its desired state: the typed changes (for people and
 * JSON), the files to write (for the applier), the profiles to reload, and what the operator
 * should know.
 *
 * @param inputs the fingerprint of every host file the plan was computed from; the applier
 *     refuses a plan whose inputs changed
 * @param failures the resources left out because a host file they depend on is unreadable; the
 *     rest of the plan is independent of them
 */
public record Plan(
    String host,
    List<Change> changes,
    List<FileOperation> files,
    List<ProfileReload> reloads,
    List<String> restartRequired,
    List<String> warnings,
    SortedMap<Path, Fingerprint> inputs,
    List<Failure> failures) {

  /** A plan in which every resource could be planned. */
  public Plan(
      String host,
      List<Change> changes,
      List<FileOperation> files,
      List<ProfileReload> reloads,
      List<String> restartRequired,
      List<String> warnings,
      SortedMap<Path, Fingerprint> inputs) {
    this(host, changes, files, reloads, restartRequired, warnings, inputs, List.of());
  }

  public Plan {
    Objects.requireNonNull(host, "host");
    changes = List.copyOf(changes);
    files = List.copyOf(files);
    reloads = List.copyOf(reloads);
    restartRequired = List.copyOf(restartRequired);
    warnings = List.copyOf(warnings);
    inputs = Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
    failures = List.copyOf(failures);
  }

  /** True when some resources could not be planned. */
  public boolean failed() {
    return !failures.isEmpty();
  }

  /** True when applying the plan would change anything. */
  public boolean changed() {
    return !changes.isEmpty();
  }

  /** How many changes have the given action. */
  public long count(Action action) {
    return changes.stream().filter(c -> c.action() == action).count();
  }
}
