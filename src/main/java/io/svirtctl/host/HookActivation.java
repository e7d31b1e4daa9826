package io.svirtctl.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * What decides whether libvirt runs svirtctl's qemu hook, as read from the host under its root:
 * the qemu hook scripts libvirt would find, the libvirt version (and where it was read), and when
 * the daemon that runs the QEMU driver started. libvirt looks for hook scripts only when the
 * daemon starts (and on SIGHUP), so a hook that appeared later is not run until then.
 *
 * <p>Nothing here fails a run: a file that cannot be read is a fact not known.
 *
 * @param svirtctlHook svirtctl's own script in {@code hooks/qemu.d/}, when present
 * @param otherHooks the other qemu hooks: {@code hooks/qemu} and the rest of {@code hooks/qemu.d/}
 * @param version the libvirt version, when a source had it
 * @param versionSources every source looked at, in order, for messages
 * @param daemon the daemon process, when its pid file names a running one
 */
public record HookActivation(
    Optional<HookScript> svirtctlHook,
    List<HookScript> otherHooks,
    Optional<LibvirtVersion> version,
    List<Path> versionSources,
    Optional<DaemonProcess> daemon) {

  /** The Linux clock tick {@code /proc/<pid>/stat} counts in (USER_HZ, 100 on Linux ABIs). */
  static final int CLOCK_TICKS_PER_SECOND = 100;

  /** Debian's changelog of the daemon package; its first line names the version. */
  static final Path DOC_DIR = Path.of("/usr/share/doc");

  static final Path DPKG_STATUS = Path.of("/var/lib/dpkg/status");

  /** The binary packages whose version is libvirt's, most specific first. */
  private static final List<String> PACKAGES =
      List.of(
          "libvirt-daemon-driver-qemu", "libvirt-daemon", "libvirt-daemon-system", "libvirt0");

  private static final Pattern CHANGELOG_HEAD = Pattern.compile("^\\S+ \\(([^)]+)\\)");
  private static final Pattern BINARY_VERSION =
      Pattern.compile("LIBVIRT_PRIVATE_(\\d+\\.\\d+\\.\\d+)");
  private static final long BINARY_LIMIT = 64L * 1024 * 1024;

  public HookActivation {
    Objects.requireNonNull(svirtctlHook, "svirtctlHook");
    otherHooks = List.copyOf(otherHooks);
    Objects.requireNonNull(version, "version");
    versionSources = List.copyOf(versionSources);
    Objects.requireNonNull(daemon, "daemon");
  }

  /** A host with no hook, no known libvirt and no running daemon (snapshots built in memory). */
  public static HookActivation none() {
    return new HookActivation(Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty());
  }

  /**
   * A hook script and the facts libvirt goes by.
   *
   * @param path as seen inside the root
   * @param executable a regular file (links followed, as libvirt does) with an execute bit
   */
  public record HookScript(Path path, boolean executable, Instant modified) {}

  /**
   * A libvirt version.
   *
   * @param text as the source wrote it (a Debian version keeps its revision)
   * @param source the file it was read from, inside the root
   */
  public record LibvirtVersion(int major, int minor, String text, Path source) {

    /** Whether this version is at least {@code major.minor}. */
    public boolean atLeast(int wantMajor, int wantMinor) {
      return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }
  }

  /**
   * The running daemon.
   *
   * @param pidFile where its pid was read, inside the root
   * @param started its start, from {@code /proc/<pid>/stat} and the boot time in {@code /proc/stat}
   */
  public record DaemonProcess(Daemon daemon, Path pidFile, long pid, Instant started) {}

  /** Reads the facts for the daemon that runs the QEMU driver. */
  public static HookActivation read(HostLayout layout, ManagedPaths paths, Daemon daemon) {
    Path script = paths.qemuHook();
    Optional<HookScript> own = script(layout, script);
    List<HookScript> others = new ArrayList<>();
    script(layout, paths.libvirtHooksDir().resolve("qemu")).ifPresent(others::add);
    Path dir = layout.resolve(script.getParent());
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          Path inside = script.getParent().resolve(entry.getFileName().toString());
          if (!inside.equals(script)) {
            script(layout, inside).ifPresent(others::add);
          }
        }
      } catch (IOException e) {
        // An unreadable directory: libvirt could not list it either.
      }
    }
    others.sort((a, b) -> a.path().compareTo(b.path()));
    List<Path> sources = new ArrayList<>();
    Optional<LibvirtVersion> version = version(layout, daemon, sources);
    return new HookActivation(own, others, version, sources, process(layout, daemon));
  }

  /** The executable qemu hooks other than svirtctl's: what libvirt has found without it. */
  public List<HookScript> otherExecutableHooks() {
    return otherHooks.stream().filter(HookScript::executable).toList();
  }

  private static Optional<HookScript> script(HostLayout layout, Path inside) {
    Path real = layout.resolve(inside);
    try {
      PosixFileAttributes attrs = Files.readAttributes(real, PosixFileAttributes.class);
      Set<PosixFilePermission> exec =
          EnumSet.of(
              PosixFilePermission.OWNER_EXECUTE,
              PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_EXECUTE);
      exec.retainAll(attrs.permissions());
      boolean executable = attrs.isRegularFile() && !exec.isEmpty();
      if (attrs.isDirectory()) {
        return Optional.empty();
      }
      return Optional.of(new HookScript(inside, executable, attrs.lastModifiedTime().toInstant()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The first source that names the version: Debian's changelog, dpkg's status, the binary. */
  private static Optional<LibvirtVersion> version(
      HostLayout layout, Daemon daemon, List<Path> sources) {
    for (String pkg : PACKAGES) {
      Path changelog = DOC_DIR.resolve(pkg).resolve("changelog.Debian.gz");
      sources.add(changelog);
      Optional<LibvirtVersion> v = fromChangelog(layout, changelog);
      if (v.isPresent()) {
        return v;
      }
    }
    sources.add(DPKG_STATUS);
    Optional<LibvirtVersion> v = fromDpkgStatus(layout);
    if (v.isPresent()) {
      return v;
    }
    Path binary = Path.of("/usr/sbin").resolve(daemon.serviceName());
    sources.add(binary);
    return fromBinary(layout, binary);
  }

  private static Optional<LibvirtVersion> fromChangelog(HostLayout layout, Path changelog) {
    Path real = layout.resolve(changelog);
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)),
                StandardCharsets.UTF_8))) {
      String first = in.readLine();
      Matcher m = CHANGELOG_HEAD.matcher(first == null ? "" : first);
      return m.find() ? parse(m.group(1), changelog) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The installed version of the first of {@link #PACKAGES} dpkg's status lists. */
  private static Optional<LibvirtVersion> fromDpkgStatus(HostLayout layout) {
    Path real = layout.resolve(DPKG_STATUS);
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    String[] found = new String[PACKAGES.size()];
    try (BufferedReader in = Files.newBufferedReader(real, StandardCharsets.UTF_8)) {
      String pkg = null;
      String status = "";
      String version = null;
      for (String line = in.readLine(); ; line = in.readLine()) {
        if (line == null || line.isEmpty()) {
          int i = pkg == null ? -1 : PACKAGES.indexOf(pkg);
          if (i >= 0 && version != null && status.endsWith(" installed")) {
            found[i] = version;
          }
          if (line == null) {
            break;
          }
          pkg = null;
          status = "";
          version = null;
        } else if (line.startsWith("Package: ")) {
          pkg = line.substring(9).strip();
        } else if (line.startsWith("Status: ")) {
          status = line.substring(8).strip();
        } else if (line.startsWith("Version: ")) {
          version = line.substring(9).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    for (String v : found) {
      if (v != null) {
        return parse(v, DPKG_STATUS);
      }
    }
    return Optional.empty();
  }

  /** The version of the libvirt library the daemon binary was linked against (its symbol set). */
  private static Optional<LibvirtVersion> fromBinary(HostLayout layout, Path binary) {
    Path real = layout.resolve(binary);
    try {
      if (!Files.isRegularFile(real) || Files.size(real) > BINARY_LIMIT) {
        return Optional.empty();
      }
      String text;
      try (InputStream in = Files.newInputStream(real)) {
        text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
      // The library exports one symbol set per release; the newest one is its version.
      Matcher m = BINARY_VERSION.matcher(text);
      Optional<LibvirtVersion> newest = Optional.empty();
      while (m.find()) {
        Optional<LibvirtVersion> v = parse(m.group(1), binary);
        if (v.isPresent()
            && (newest.isEmpty() || !newest.get().atLeast(v.get().major(), v.get().minor()))) {
          newest = v;
        }
      }
      return newest;
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code [epoch:]MAJOR.MINOR[.MICRO][-revision]}, as Debian and upstream write it. */
  static Optional<LibvirtVersion> parse(String text, Path source) {
    String upstream = text.contains(":") ? text.substring(text.indexOf(':') + 1) : text;
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(upstream);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new LibvirtVersion(
              Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text, source));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The daemon its pid file names, when {@code /proc} shows that process running as it. */
  private static Optional<DaemonProcess> process(HostLayout layout, Daemon daemon) {
    Path pidFile = Path.of("/run").resolve(daemon.serviceName() + ".pid");
    try {
      long pid = Long.parseLong(Files.readString(layout.resolve(pidFile)).strip());
      String stat = Files.readString(layout.resolve(Path.of("/proc/" + pid + "/stat")));
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (open < 0 || close < open) {
        return Optional.empty();
      }
      String comm = stat.substring(open + 1, close);
      if (!comm.equals(daemon.serviceName())) {
        // A stale pid file: the number now belongs to another program.
        return Optional.empty();
      }
      String[] fields = stat.substring(close + 2).split(" ");
      // Fields after the name start at field 3 (state); the start time is field 22.
      long ticks = Long.parseLong(fields[22 - 3]);
      long boot = bootTime(layout).orElseThrow(() -> new NumberFormatException("no btime"));
      Instant started =
          Instant.ofEpochSecond(boot).plusMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
      return Optional.of(new DaemonProcess(daemon, pidFile, pid, started));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> bootTime(HostLayout layout) throws IOException {
    for (String line : Files.readAllLines(layout.resolve(Path.of("/proc/stat")))) {
      if (line.startsWith("btime ")) {
        return Optional.of(Long.parseLong(line.substring(6).strip()));
      }
    }
    return Optional.empty();
  }
}
