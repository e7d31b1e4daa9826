package io.svirtctl.plan;

import io.svirtctl.Suggestions;
import io.svirtctl.Uuid;
import io.svirtctl.host.DomainDefinition;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.RunningDomain;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Finds a guest by what an operator types: its libvirt domain name or its UUID. Names come from
 * the persistent domain XMLs and, for transient guests, from libvirt's status XML; a persistent
 * guest's name wins, as libvirt's own lookup does. A UUID resolves whether or not any XML names
 * it (its profile may be all that is left).
 */
public final class GuestResolver {

  private final SortedMap<String, Uuid> byName = new TreeMap<>();
  private final SortedMap<Uuid, String> names = new TreeMap<>();

  /** A resolver over persistent definitions and the guests running now. */
  public GuestResolver(List<DomainDefinition> persistent, List<RunningDomain> running) {
    for (DomainDefinition d : persistent) {
      add(d);
    }
    for (RunningDomain r : running) {
      add(r.domain());
    }
  }

  /** A resolver over a snapshot's guests. */
  public static GuestResolver of(HostSnapshot snap) {
    return new GuestResolver(snap.domains(), snap.running());
  }

  private void add(DomainDefinition d) {
    if (!names.containsKey(d.uuid()) && !byName.containsKey(d.name())) {
      byName.put(d.name(), d.uuid());
      names.put(d.uuid(), d.name());
    }
  }

  /** The guest a name or a UUID (in any case) denotes; empty for a name no XML defines. */
  public Optional<Uuid> resolve(String nameOrUuid) {
    Optional<Uuid> uuid = Uuid.parse(nameOrUuid);
    return uuid.isPresent() ? uuid : byName(nameOrUuid);
  }

  /** The guest of this exact domain name (libvirt names are case-sensitive). */
  public Optional<Uuid> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The domain name of a guest, when an XML names it. */
  public Optional<String> nameOf(Uuid uuid) {
    return Optional.ofNullable(names.get(uuid));
  }

  /** The defined name closest to {@code name} (ignoring case, by edit distance), if one is close. */
  public Optional<String> nearest(String name) {
    return Suggestions.closest(name, byName.keySet());
  }

  /** {@code " (did you mean 'x'?)"} for a name this host does not define, or {@code ""}. */
  public String hint(String name) {
    return Suggestions.hint(name, byName.keySet());
  }
}
