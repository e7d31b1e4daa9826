package io.svirtctl.host;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.SourceLocation;
import io.svirtctl.Uuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Reads a {@link HostSnapshot} under a layout's root. The guest profile directory is listed once
 * and each profile read once, so hosts with thousands of guests stay linear.
 */
public final class SnapshotReader {

  private static final String PROFILE_PREFIX = "libvirt-";
  private static final String FILES_SUFFIX = ".files";

  private SnapshotReader() {}

  /**
   * Reads every file the planner needs.
   *
   * @throws io.svirtctl.InvalidInputException if a file is not valid UTF-8 (a domain or status
   *     XML that cannot be used is recorded in {@link HostSnapshot#domainProblems()} instead)
   * @throws OperationFailedException if a managed path is a symbolic link or not a regular file, or
   *     cannot be read
   */
  public static HostSnapshot read(HostLayout layout) {
    HostReader reader = new HostReader(layout);
    ManagedPaths paths = new ManagedPaths(layout);
    // Domain XML and guest profiles are independent and both scale with the guests: the XML is
    // read on a second thread meanwhile. Its errors still come after the profiles' ones.
    FutureTask<Guests> domains = new FutureTask<>(() -> guests(layout));
    Thread domainReader = new Thread(null, domains, "svirtctl-domain-xml", 512 * 1024);
    domainReader.setDaemon(true);
    domainReader.start();
    SortedMap<Uuid, HostFile> profiles = new TreeMap<>();
    SortedSet<Uuid> filesLists = new TreeSet<>();
    SortedMap<Uuid, Diagnostic> undecodable = new TreeMap<>();
    listGuestFiles(layout, paths, reader, profiles, filesLists, undecodable);
    Guests guests = result(domains);
    Daemon daemon = daemon(layout);
    SortedMap<Path, Diagnostic> undecodableFiles = new TreeMap<>();
    return new HostSnapshot(
        lossy(reader, paths.qemuConf(), undecodableFiles),
        lossy(reader, paths.templateQemu(), undecodableFiles),
        lossy(reader, paths.templateLegacy(), undecodableFiles),
        reader.read(paths.templateLxc()),
        profiles,
        filesLists,
        lossy(reader, paths.siteRulesLocal(), undecodableFiles),
        Files.isDirectory(layout.resolve(paths.siteRulesDropInDir()), LinkOption.NOFOLLOW_LINKS),
        lossy(reader, paths.siteRulesDropIn(), undecodableFiles),
        reader.read(paths.libvirtdProfile()),
        guests.persistent(),
        daemon,
        reader.read(paths.qemuHook()),
        reader.read(paths.hookRecord()),
        guests.running(),
        HookActivation.read(layout, paths, daemon),
        guests.problems(),
        undecodable,
        undecodableFiles);
  }

  /**
   * Reads a file only some changes depend on: when it is not valid UTF-8 it is recorded in {@code
   * undecodable} and read with a lossy decoding but its real fingerprint, so the run still checks
   * it did not change and never writes it (symlinks and the like still stop the run).
   */
  private static HostFile lossy(
      HostReader reader, Path path, SortedMap<Path, Diagnostic> undecodable) {
    try {
      return reader.read(path);
    } catch (InvalidInputException e) {
      Optional<byte[]> bytes = reader.readBytes(path);
      undecodable.put(path, e.diagnostics().get(0));
      return new HostFile(path,
          Optional.of(new String(bytes.orElseThrow(), StandardCharsets.UTF_8)),
          Fingerprint.of(bytes));
    }
  }

  /**
   * Reads as {@link #read(HostLayout)} and adds the problems of every domain XML that cannot be
   * used, and of every managed file that is not UTF-8, to {@code unreadable}: for a diagnosis, one bad file is a finding, not the end.
   */
  public static HostSnapshot readAll(HostLayout layout, List<Diagnostic> unreadable) {
    HostSnapshot snap = read(layout);
    snap.domainProblems().forEach(p -> unreadable.add(p.diagnostic()));
    unreadable.addAll(snap.undecodableFiles().values());
    return snap;
  }

  /**
   * The persistent and the running guests, read on one thread with one XML reader, and the files
   * that could not be used: one broken domain XML does not stop a run (DESIGN.md section 3).
   */
  private record Guests(
      List<DomainDefinition> persistent, List<RunningDomain> running, List<DomainProblem> problems) {}

  private static Guests guests(HostLayout layout) {
    DomainXmlReader xml = new DomainXmlReader();
    List<DomainProblem> problems = new ArrayList<>();
    List<DomainDefinition> persistent = domains(layout, xml, problems);
    List<RunningDomain> running = running(layout, xml, problems);
    return new Guests(persistent, running, problems);
  }

  /** Throws every problem at once: the strict reading of callers that need every guest. */
  private static void refuse(List<DomainProblem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems.stream().map(DomainProblem::diagnostic).toList());
    }
  }

  /** libvirt names a domain's XML file after the domain: the name a broken file may hold. */
  private static List<String> nameOfFile(Path file) {
    String f = file.getFileName().toString();
    return List.of(f.substring(0, f.length() - ".xml".length()));
  }

  /**
   * Every persistent domain of {@code <libvirtDir>/qemu/*.xml} (not its subdirectories such as
   * {@code autostart/}), sorted by UUID.
   *
   * @throws InvalidInputException listing every malformed file, missing or bad name or UUID, and
   *     UUID or name defined by two files
   * @throws OperationFailedException naming a file that is a symlink, FIFO, socket or device
   */
  public static List<DomainDefinition> domains(HostLayout layout) {
    List<DomainProblem> problems = new ArrayList<>();
    List<DomainDefinition> domains = domains(layout, new DomainXmlReader(), problems);
    refuse(problems);
    return domains;
  }

  /**
   * The usable persistent domains; every file that is not usable is added to {@code problems}.
   * Both definitions of a duplicated UUID or name are left out: which one libvirt uses is unknown.
   */
  private static List<DomainDefinition> domains(
      HostLayout layout, DomainXmlReader xml, List<DomainProblem> problems) {
    Path logicalDir = new ManagedPaths(layout).domainXmlDir();
    List<DomainDefinition> domains = new ArrayList<>();
    for (Map.Entry<Path, byte[]> f : xmlFiles(layout, logicalDir).entrySet()) {
      try {
        domains.add(
            xml.definition(f.getValue(), f.getKey(), layout.resolve(f.getKey()).toString()));
      } catch (InvalidInputException e) {
        for (Diagnostic d : e.diagnostics()) {
          problems.add(new DomainProblem(d, List.of(), nameOfFile(f.getKey())));
        }
      }
    }
    List<DomainProblem> duplicates = duplicates(layout, domains);
    problems.addAll(duplicates);
    Set<Uuid> uuids = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (DomainProblem p : duplicates) {
      uuids.addAll(p.guests());
      names.addAll(p.names());
    }
    domains.removeIf(d -> uuids.contains(d.uuid()) || names.contains(d.name()));
    domains.sort(Comparator.comparing(DomainDefinition::uuid));
    return List.copyOf(domains);
  }

  /**
   * Every guest running now: libvirt's status XML in {@code /run/libvirt/qemu/*.xml} ({@code
   * <domstatus>} around the {@code <domain>}), transient or not, sorted by UUID.
   */
  public static List<RunningDomain> running(HostLayout layout) {
    List<DomainProblem> problems = new ArrayList<>();
    List<RunningDomain> running = running(layout, new DomainXmlReader(), problems);
    refuse(problems);
    return running;
  }

  private static List<RunningDomain> running(
      HostLayout layout, DomainXmlReader xml, List<DomainProblem> problems) {
    List<RunningDomain> running = new ArrayList<>();
    Path logicalDir = new ManagedPaths(layout).statusXmlDir();
    for (Map.Entry<Path, byte[]> f : xmlFiles(layout, logicalDir).entrySet()) {
      try {
        running.add(xml.status(f.getValue(), f.getKey(), layout.resolve(f.getKey()).toString()));
      } catch (InvalidInputException e) {
        for (Diagnostic d : e.diagnostics()) {
          problems.add(new DomainProblem(d, List.of(), nameOfFile(f.getKey())));
        }
      }
    }
    running.sort(Comparator.comparing(r -> r.domain().uuid()));
    return List.copyOf(running);
  }

  /**
   * The bytes of every {@code *.xml} entry of a directory (subdirectories skipped), by path as
   * seen inside the root, in name order. Each is read as a managed file is: never through a
   * symlink, a FIFO, socket or device refused at once, size limited.
   */
  private static SortedMap<Path, byte[]> xmlFiles(HostLayout layout, Path logicalDir) {
    Path realDir = layout.resolve(logicalDir);
    SortedMap<Path, byte[]> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(realDir, "*.xml")) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Path logical = logicalDir.resolve(entry.getFileName().toString());
        // Removed while we listed: libvirt undefined it, or the guest stopped.
        HostReader.readReal(entry).ifPresent(b -> files.put(logical, b));
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return files;
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + realDir + ": " + e.getMessage(), e);
    }
    return files;
  }

  private static List<DomainProblem> duplicates(
      HostLayout layout, List<DomainDefinition> domains) {
    List<DomainProblem> problems = new ArrayList<>();
    Map<Uuid, DomainDefinition> byUuid = new HashMap<>();
    Map<String, DomainDefinition> byName = new HashMap<>();
    for (DomainDefinition d : domains) {
      SourceLocation at = SourceLocation.ofFile(layout.resolve(d.file()).toString());
      DomainDefinition first = byUuid.putIfAbsent(d.uuid(), d);
      if (first != null) {
        problems.add(new DomainProblem(new Diagnostic(at,
                "domain uuid " + d.uuid() + " is also defined by " + layout.resolve(first.file())),
            List.of(d.uuid()), List.of(first.name(), d.name())));
      }
      first = byName.putIfAbsent(d.name(), d);
      if (first != null) {
        problems.add(new DomainProblem(new Diagnostic(at,
                "domain name '" + d.name() + "' is also defined by " + layout.resolve(first.file())),
            List.of(first.uuid(), d.uuid()), List.of(d.name())));
      }
    }
    return problems;
  }

  private static <T> T result(FutureTask<T> task) {
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new OperationFailedException("cannot read domain XML: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while reading domain XML", e);
    }
  }

  private static void listGuestFiles(
      HostLayout layout,
      ManagedPaths paths,
      HostReader reader,
      SortedMap<Uuid, HostFile> profiles,
      SortedSet<Uuid> filesLists,
      SortedMap<Uuid, Diagnostic> undecodable) {
    Path dir = layout.resolve(paths.libvirtProfileDir());
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PROFILE_PREFIX + "*")) {
      for (Path entry : entries) {
        String rest = entry.getFileName().toString().substring(PROFILE_PREFIX.length());
        if (rest.endsWith(FILES_SUFFIX)) {
          canonicalUuid(rest.substring(0, rest.length() - FILES_SUFFIX.length()))
              .ifPresent(filesLists::add);
        } else {
          Optional<Uuid> uuid = canonicalUuid(rest);
          if (uuid.isPresent()) {
            HostFile profile;
            try {
              profile = reader.read(paths.guestProfile(uuid.get()));
            } catch (InvalidInputException e) {
              // Not UTF-8: only this guest depends on it (symlinks and the like still stop the run).
              undecodable.put(uuid.get(), e.diagnostics().get(0));
              continue;
            }
            // A profile deleted between listing and reading is simply not there.
            if (profile.exists()) {
              profiles.put(uuid.get(), profile);
            }
          }
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      // No profile directory: no guest profiles (the template reads then report it missing).
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** libvirt names profiles with the lowercase canonical UUID; any other spelling is not its. */
  private static Optional<Uuid> canonicalUuid(String text) {
    return Uuid.parse(text).filter(u -> u.value().equals(text));
  }

  /**
   * The modular daemon runs the QEMU driver when systemd starts virtqemud; unit links are checked
   * without following them (they usually point outside the root).
   */
  private static Daemon daemon(HostLayout layout) {
    Path wants = layout.resolve(Path.of("/etc/systemd/system"));
    boolean modular =
        Files.exists(
                wants.resolve("sockets.target.wants/virtqemud.socket"), LinkOption.NOFOLLOW_LINKS)
            || Files.exists(
                wants.resolve("multi-user.target.wants/virtqemud.service"),
                LinkOption.NOFOLLOW_LINKS);
    return modular ? Daemon.VIRTQEMUD : Daemon.LIBVIRTD;
  }
}
