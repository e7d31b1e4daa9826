package io.svirtctl.host;

import io.svirtctl.OperationFailedException;
import io.svirtctl.Uuid;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
   * @throws io.svirtctl.InvalidInputException if a file is not valid UTF-8 or a domain XML is
   *     malformed
   * @throws OperationFailedException if a managed path is a symbolic link or not a regular file, or
   *     cannot be read
   */
  public static HostSnapshot read(HostLayout layout) {
    HostReader reader = new HostReader(layout);
    ManagedPaths paths = new ManagedPaths(layout);
    // Domain XML and guest profiles are independent and both scale with the guests: the XML is
    // read on a second thread meanwhile. Its errors still come after the profiles' ones.
    FutureTask<List<DomainDefinition>> domains =
        new FutureTask<>(() -> new DomainXmlReader(layout).readAll());
    Thread domainReader = new Thread(null, domains, "svirtctl-domain-xml", 512 * 1024);
    domainReader.setDaemon(true);
    domainReader.start();
    SortedMap<Uuid, HostFile> profiles = new TreeMap<>();
    SortedSet<Uuid> filesLists = new TreeSet<>();
    listGuestFiles(layout, paths, reader, profiles, filesLists);
    return new HostSnapshot(
        reader.read(paths.qemuConf()),
        reader.read(paths.templateQemu()),
        reader.read(paths.templateLegacy()),
        reader.read(paths.templateLxc()),
        profiles,
        filesLists,
        reader.read(paths.siteRulesLocal()),
        Files.isDirectory(layout.resolve(paths.siteRulesDropInDir()), LinkOption.NOFOLLOW_LINKS),
        reader.read(paths.siteRulesDropIn()),
        reader.read(paths.libvirtdProfile()),
        result(domains),
        daemon(layout),
        reader.read(paths.qemuHook()),
        reader.read(paths.hookRecord()));
  }

  private static List<DomainDefinition> result(FutureTask<List<DomainDefinition>> task) {
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
      SortedSet<Uuid> filesLists) {
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
            HostFile profile = reader.read(paths.guestProfile(uuid.get()));
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
