package io.svirtctl.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.svirtctl.OperationFailedException;
import io.svirtctl.host.CrashSeam;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.PrivateDirectory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The run journal under {@code <stateDir>/journal/} (inside the root): one directory per run, named
 * by a sortable id such as {@code 20261129T051500Z-0000}, holding {@code manifest.json} and, for
 * every batch of files the run recorded before changing them, {@code batch-NNNNNN.before} (their
 * previous bytes, packed) and {@code batch-NNNNNN.json} (which file is where). Journals of format
 * 1 stored one {@code entry-NNNNNN.json} and {@code entry-NNNNNN.before} per file; they are still
 * read. Directories are mode 0700 and files 0600: they hold copies of configuration files. Callers
 * hold the {@link io.svirtctl.host.RunLock}.
 */
public final class Journal {

  static final String MANIFEST = "manifest.json";
  static final String ENTRY_SUFFIX = ".json";
  static final String BEFORE_SUFFIX = ".before";
  /** Format 2 packs a batch's previous bytes into one file (format 1 was never released). */
  private static final int FORMAT_VERSION = 2;
  private static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{4}");
  private static final Pattern BATCH = Pattern.compile("batch-\\d{6}\\.json");
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Journal() {}

  /**
   * Starts journaling a run: creates its directory with an {@code incomplete} manifest. Runs
   * started within the same second get increasing suffixes, so ids sort in start order.
   *
   * @param command what the user ran, for {@code history} (for example {@code apply})
   */
  public static JournalRun begin(HostLayout layout, Clock clock, String command) {
    return begin(layout, clock, command, CrashSeam.disarmed());
  }

  /**
   * Like {@link #begin(HostLayout, Clock, String)}, reporting each journal file operation of the
   * run to {@code seam} (crash tests).
   */
  public static JournalRun begin(HostLayout layout, Clock clock, String command, CrashSeam seam) {
    Path journal = journalDir(layout);
    PrivateDirectory.ensureState(layout);
    PrivateDirectory.ensure(journal);
    removeUnfinishedRuns(journal);
    Instant time = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String prefix = ID_TIME.format(time);
    int suffix = nextSuffix(journal, prefix);
    while (suffix <= 0xffff) {
      String id = prefix + "-" + HexFormat.of().toHexDigits((short) suffix);
      Path target = journal.resolve(id);
      Path temp = journal.resolve(".new-" + id);
      // Built aside and renamed into place, so a run directory always has its manifest.
      PrivateDirectory.ensure(temp);
      seam.fileOperationDone();
      writeManifest(temp, id, time, command, RunStatus.INCOMPLETE, "");
      seam.fileOperationDone();
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        seam.fileOperationDone();
        DurableFiles.syncDirectory(journal);
        seam.fileOperationDone();
        return new JournalRun(id, time, command, target, seam);
      } catch (FileSystemException e) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          throw new OperationFailedException(
              "cannot create journal run " + target + ": " + e.getMessage(), e);
        }
        deleteTemp(temp);
        suffix++;
      } catch (IOException e) {
        throw new OperationFailedException(
            "cannot create journal run " + target + ": " + e.getMessage(), e);
      }
    }
    throw new OperationFailedException("too many runs started at " + prefix + " in " + journal);
  }

  /** Every journaled run, newest first; empty when nothing was ever applied. */
  public static List<RunRecord> list(HostLayout layout) {
    Path journal = journalDir(layout);
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(journal)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (ID.matcher(name).matches() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          ids.add(name);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + journal + ": " + e.getMessage(), e);
    }
    ids.sort(Comparator.reverseOrder());
    List<RunRecord> runs = new ArrayList<>(ids.size());
    for (String id : ids) {
      runs.add(read(journal.resolve(id), id));
    }
    return List.copyOf(runs);
  }

  /**
   * One journaled run.
   *
   * @throws OperationFailedException if there is no run with this id
   */
  public static RunRecord load(HostLayout layout, String id) {
    Path journal = journalDir(layout);
    Path dir = ID.matcher(id).matches() ? journal.resolve(id) : null;
    if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new OperationFailedException("no run " + id + " in " + journal);
    }
    return read(dir, id);
  }

  private static Path journalDir(HostLayout layout) {
    return layout.resolve(layout.stateDir().resolve("journal"));
  }

  private static int nextSuffix(Path journal, String prefix) {
    int next = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(journal, prefix + "-*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (ID.matcher(name).matches()) {
          next = Math.max(next, Integer.parseInt(name.substring(prefix.length() + 1), 16) + 1);
        }
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + journal + ": " + e.getMessage(), e);
    }
    return next;
  }

  private static RunRecord read(Path dir, String id) {
    // One mapper for the run's files: a run over thousands of guests has thousands of entries.
    ObjectMapper mapper =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    Path manifestFile = dir.resolve(MANIFEST);
    ManifestJson manifest = readJson(mapper, manifestFile, ManifestJson.class);
    int format = manifest.formatVersion();
    if ((format != FORMAT_VERSION) || !id.equals(manifest.id())) {
      throw damaged(
          manifestFile, "format_version " + manifest.formatVersion() + ", id " + manifest.id());
    }
    Instant time;
    RunStatus status;
    try {
      time = Instant.parse(String.valueOf(manifest.time()));
      status = RunStatus.valueOf(String.valueOf(manifest.status()).toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw damaged(manifestFile, e.getMessage());
    }
    List<String> indexNames = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + ENTRY_SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (BATCH.matcher(name).matches()) {
          indexNames.add(name);
        }
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    indexNames.sort(Comparator.naturalOrder());
    List<JournalEntry> entries = new ArrayList<>(indexNames.size());
    for (String name : indexNames) {
      Path file = dir.resolve(name);
      String stem = name.substring(0, name.length() - ENTRY_SUFFIX.length());
      try {
        entries.addAll(batch(stem, readJson(mapper, file, BatchJson.class)));
      } catch (OperationFailedException e) {
        if (status == RunStatus.COMPLETE) {
          throw e;
        }
        // An interrupted run may have died while writing its last index. A file is replaced only
        // once its index is durable, so the files of a torn index were never touched.
        continue;
      } catch (IllegalArgumentException e) {
        throw damaged(file, e.getMessage());
      }
    }
    return new RunRecord(
        id,
        time,
        String.valueOf(manifest.command()),
        status,
        manifest.summary() == null ? "" : manifest.summary(),
        entries,
        dir);
  }

  /** The entries of one batch index, pointing into the batch's packed bytes. */
  private static List<JournalEntry> batch(String stem, BatchJson batch) {
    if (batch.entries() == null) {
      throw new IllegalArgumentException("no entries");
    }
    List<JournalEntry> entries = new ArrayList<>(batch.entries().size());
    for (BatchJson.Entry e : batch.entries()) {
      entries.add(
          new JournalEntry(
              Path.of(String.valueOf(e.path())),
              new Fingerprint(String.valueOf(e.before())),
              stem + BEFORE_SUFFIX,
              e.offset(),
              e.length()));
    }
    return entries;
  }

  static void writeManifest(
      Path dir, String id, Instant time, String command, RunStatus status, String summary) {
    ManifestJson manifest =
        new ManifestJson(
            FORMAT_VERSION,
            id,
            time.toString(),
            command,
            status.name().toLowerCase(Locale.ROOT),
            summary);
    DurableFiles.replace(dir.resolve(MANIFEST), toJson(manifest));
  }

  static byte[] toJson(Object value) {
    return toJson(new ObjectMapper().writer(), value);
  }

  /** As {@link #toJson(Object)}, with a writer reused across records (it caches serialisers). */
  static byte[] toJson(ObjectWriter writer, Object value) {
    try {
      byte[] json = writer.writeValueAsBytes(value);
      byte[] withNewline = new byte[json.length + 1];
      System.arraycopy(json, 0, withNewline, 0, json.length);
      withNewline[json.length] = '\n';
      return withNewline;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("journal records always serialise", e);
    }
  }

  private static <T> T readJson(ObjectMapper mapper, Path file, Class<T> type) {
    try {
      return mapper.readValue(file.toFile(), type);
    } catch (JsonProcessingException e) {
      throw damaged(file, e.getOriginalMessage());
    } catch (IOException e) {
      throw new OperationFailedException(
          "cannot read journal file " + file + ": " + e.getMessage(), e);
    }
  }

  private static OperationFailedException damaged(Path file, String why) {
    return new OperationFailedException("journal file " + file + " is damaged: " + why);
  }

  /**
   * Removes run directories a crash left half-built ({@code .new-<id>}, never renamed into place):
   * they hold only a manifest, no file was changed under them. The caller holds the run lock.
   */
  private static void removeUnfinishedRuns(Path journal) {
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(journal, ".new-*")) {
      for (Path temp : temps) {
        if (Files.isDirectory(temp, LinkOption.NOFOLLOW_LINKS)) {
          deleteTemp(temp);
        }
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + journal + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTemp(Path temp) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(temp)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      throw new OperationFailedException("cannot remove " + temp + ": " + e.getMessage(), e);
    }
  }
}
