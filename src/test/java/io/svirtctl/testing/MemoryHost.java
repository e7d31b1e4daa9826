package io.svirtctl.testing;

import io.svirtctl.TestHosts;
import io.svirtctl.Uuid;
import io.svirtctl.host.Daemon;
import io.svirtctl.host.DomainDefinition;
import io.svirtctl.host.HostFile;
import io.svirtctl.host.HostSnapshot;
import io.svirtctl.host.ManagedPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A host held in memory, for tests at the planner's depth: files as text at their paths inside
 * the root, the domains libvirt defines, and the daemon. {@link #snapshot()} builds the {@link
 * HostSnapshot} the snapshot reader would have read from the same files, without touching a disk.
 */
public final class MemoryHost {

  /** The template as Debian and Ubuntu ship it, reduced to what the planner reads. */
  public static final String TEMPLATE =
      "#include <tunables/global>\n\n"
          + "profile LIBVIRT_TEMPLATE flags=(attach_disconnected) {\n"
          + "  #include <abstractions/libvirt-qemu>\n"
          + "}\n";

  public static final String LXC_TEMPLATE =
      "#include <tunables/global>\n\n"
          + "profile LIBVIRT_TEMPLATE flags=(attach_disconnected) {\n"
          + "  #include <abstractions/libvirt-lxc>\n"
          + "}\n";

  /** The managed paths of the default layout (computing them does no I/O). */
  public static final ManagedPaths PATHS = new ManagedPaths(TestHosts.layout(Path.of("/")));

  private final Map<Path, String> files = new HashMap<>();
  private final List<DomainDefinition> domains = new ArrayList<>();
  private final SortedSet<Uuid> filesLists = new TreeSet<>();
  private boolean dropInDir;
  private Daemon daemon = Daemon.LIBVIRTD;

  /** A host with the stock templates and libvirtd's profile, no qemu.conf and no guest. */
  public static MemoryHost stock() {
    return new MemoryHost()
        .file(PATHS.templateQemu(), TEMPLATE)
        .file(PATHS.templateLxc(), LXC_TEMPLATE)
        .file(PATHS.libvirtdProfile(), "profile libvirtd /usr/sbin/libvirtd {\n}\n");
  }

  /** Sets a file's text (as seen inside the root). */
  public MemoryHost file(Path path, String text) {
    files.put(path, text);
    return this;
  }

  /** Removes a file. */
  public MemoryHost without(Path path) {
    files.remove(path);
    return this;
  }

  /** A guest libvirt defines, with its profile as libvirt instantiates it from the template. */
  public MemoryHost guest(String name, Uuid uuid, boolean withProfile) {
    domains.add(new DomainDefinition(name, uuid, PATHS.domainXmlDir().resolve(name + ".xml")));
    if (withProfile) {
      profile(uuid, libvirtProfile(uuid, ""));
    }
    return this;
  }

  /** A guest profile file (also of a guest libvirt does not define), with its {@code .files}. */
  public MemoryHost profile(Uuid uuid, String text) {
    files.put(PATHS.guestProfile(uuid), text);
    filesLists.add(uuid);
    return this;
  }

  /** Whether {@code abstractions/libvirt-qemu.d/} exists (libvirt 9.6 and later). */
  public MemoryHost dropInDir(boolean exists) {
    dropInDir = exists;
    return this;
  }

  public MemoryHost daemon(Daemon d) {
    daemon = d;
    return this;
  }

  /** The profile text libvirt writes for a guest, with {@code flags} such as ", complain". */
  public static String libvirtProfile(Uuid uuid, String extraFlags) {
    return "#include <tunables/global>\n\n"
        + "profile " + uuid.profileName() + " flags=(attach_disconnected" + extraFlags + ") {\n"
        + "  #include <abstractions/libvirt-qemu>\n"
        + "  #include <libvirt/" + uuid.profileName() + ".files>\n"
        + "}\n";
  }

  public HostSnapshot snapshot() {
    SortedMap<Uuid, HostFile> profiles = new TreeMap<>();
    for (Map.Entry<Path, String> f : files.entrySet()) {
      Path p = f.getKey();
      if (p.getParent().equals(PATHS.libvirtProfileDir())
          && p.getFileName().toString().startsWith("libvirt-")) {
        Uuid uuid = Uuid.parse(p.getFileName().toString().substring("libvirt-".length())).orElseThrow();
        profiles.put(uuid, read(p));
      }
    }
    return new HostSnapshot(
        read(PATHS.qemuConf()),
        read(PATHS.templateQemu()),
        read(PATHS.templateLegacy()),
        read(PATHS.templateLxc()),
        profiles,
        filesLists,
        read(PATHS.siteRulesLocal()),
        dropInDir,
        read(PATHS.siteRulesDropIn()),
        read(PATHS.libvirtdProfile()),
        domains,
        daemon,
        read(PATHS.qemuHook()),
        read(PATHS.hookRecord()));
  }

  private HostFile read(Path p) {
    String text = files.get(p);
    return text == null ? HostFile.absent(p) : HostFile.of(p, text);
  }
}
