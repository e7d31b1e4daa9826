package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import io.svirtctl.Uuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.TreeMap;

/**
 * What the running kernel says about AppArmor: whether it is enabled and which profiles are
 * loaded, in which mode. Read from {@code /sys} under the host's root, so tests use plain files.
 *
 * @param enabled {@code /sys/module/apparmor/parameters/enabled} reads {@code Y}
 * @param loadedProfiles profile name to mode ({@code enforce}, {@code complain}, ...), sorted
 */
public record KernelStatus(boolean enabled, Map<String, String> loadedProfiles) {

  static final Path ENABLED = Path.of("/sys/module/apparmor/parameters/enabled");
  static final Path PROFILES = Path.of("/sys/kernel/security/apparmor/profiles");

  private static final String GUEST_PREFIX = "libvirt-";

  public KernelStatus {
    Objects.requireNonNull(loadedProfiles, "loadedProfiles");
    loadedProfiles = Map.copyOf(loadedProfiles);
  }

  /** Reads the status; a missing file means disabled, or no profile loaded. */
  public static KernelStatus read(HostLayout layout) {
    boolean enabled =
        readIfExists(layout.resolve(ENABLED)).map(s -> s.strip().equals("Y")).orElse(false);
    Map<String, String> loaded = new TreeMap<>();
    readIfExists(layout.resolve(PROFILES))
        .ifPresent(
            text -> {
              for (String line : text.split("\n")) {
                parseLine(line).ifPresent(e -> loaded.put(e.getKey(), e.getValue()));
              }
            });
    return new KernelStatus(enabled, loaded);
  }

  /** Whether a profile of this name (as the kernel shows it, {@code a//b} for hats) is loaded. */
  public boolean isLoaded(String profileName) {
    return loadedProfiles.containsKey(profileName);
  }

  /**
   * The guests whose {@code libvirt-<uuid>} profile is loaded (hats and children not counted): a
   * loaded guest profile means libvirt runs, or ran until now, that guest.
   */
  public SortedSet<Uuid> loadedGuests() {
    SortedSet<Uuid> guests = new TreeSet<>();
    for (String name : loadedProfiles.keySet()) {
      if (name.startsWith(GUEST_PREFIX)) {
        String rest = name.substring(GUEST_PREFIX.length());
        Uuid.parse(rest).filter(u -> u.value().equals(rest)).ifPresent(guests::add);
      }
    }
    return guests;
  }

  /** The mode the kernel shows for a profile. */
  public Optional<String> modeOf(String profileName) {
    return Optional.ofNullable(loadedProfiles.get(profileName));
  }

  /** One {@code name (mode)} line; names may contain spaces, the mode is the last group. */
  private static Optional<Map.Entry<String, String>> parseLine(String line) {
    String l = line.strip();
    int open = l.lastIndexOf(" (");
    if (open <= 0 || !l.endsWith(")")) {
      return Optional.empty();
    }
    return Optional.of(Map.entry(l.substring(0, open), l.substring(open + 2, l.length() - 1)));
  }

  private static Optional<String> readIfExists(Path p) {
    try {
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
