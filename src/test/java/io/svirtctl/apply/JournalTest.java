package io.svirtctl.apply;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.svirtctl.OperationFailedException;
import io.svirtctl.TestHosts;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  private static final Path QEMU_CONF = Path.of("/etc/libvirt/qemu.conf");
  private static final Path PROFILE =
      Path.of("/etc/apparmor.d/libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab");
  private static final Instant T1 = Instant.parse("2026-11-29T05:15:00.250Z");
  private static final Instant T2 = Instant.parse("2026-11-29T06:00:01Z");

  @TempDir Path root;

  private HostLayout layout() {
    return TestHosts.layout(root);
  }

  private static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  @Test
  void runIdIsSortableAndDirectoryPrivate() throws IOException {
    JournalRun run = Journal.begin(layout(), at(T1), "apply");

    assertThat(run.id()).isEqualTo("20261129T051500Z-0000");
    Path dir = root.resolve("var/lib/svirtctl/journal/20261129T051500Z-0000");
    assertThat(run.directory()).isEqualTo(dir);
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.getParent())).isEqualTo("rwx------");
    assertThat(Files.readString(dir.resolve("manifest.json")))
        .isEqualTo(
            "{\"format_version\":2,\"id\":\"20261129T051500Z-0000\",\"time\":\"2026-11-29T05:15:00Z\",\"command\":\"apply\",\"status\":\"incomplete\",\"summary\":\"\"}\n");
  }

  @Test
  void recordsPreviousBytesAndAbsenceAndLoadsThemBack() throws IOException {
    byte[] conf = "security_driver = \"selinux\"\n".getBytes(StandardCharsets.UTF_8);
    byte[] binary = {0, (byte) 0xff, '\n'};
    JournalRun run = Journal.begin(layout(), at(T1), "apply");
    run.recordBefore(QEMU_CONF, Optional.of(conf));
    run.recordBefore(PROFILE, Optional.empty());
    run.recordBefore(
        Path.of("/etc/apparmor.d/local/abstractions/libvirt-qemu"), Optional.of(binary));
    run.complete("3 changes applied");

    RunRecord r = Journal.load(layout(), run.id());
    assertThat(r.status()).isEqualTo(RunStatus.COMPLETE);
    assertThat(r.summary()).isEqualTo("3 changes applied");
    assertThat(r.command()).isEqualTo("apply");
    assertThat(r.time()).isEqualTo(Instant.parse("2026-11-29T05:15:00Z"));
    assertThat(r.paths())
        .containsExactly(
            QEMU_CONF, PROFILE, Path.of("/etc/apparmor.d/local/abstractions/libvirt-qemu"));
    assertThat(r.before(QEMU_CONF)).hasValueSatisfying(b -> assertThat(b).isEqualTo(conf));
    assertThat(r.before(PROFILE)).isEmpty();
    assertThat(r.before(Path.of("/etc/apparmor.d/local/abstractions/libvirt-qemu")))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(binary));
    assertThat(r.files().get(0).before()).isEqualTo(Fingerprint.of(Optional.of(conf)));
    assertThat(r.files().get(1).before()).isEqualTo(Fingerprint.ABSENT);
    try (Stream<Path> files = Files.list(run.directory())) {
      assertThat(files)
          .hasSize(1 + 3 * 2) // the manifest, then an index and packed bytes per batch
          .allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-------"));
    }
  }

  @Test
  void aBatchRecordsLikeOneByOneInOrder() throws IOException {
    byte[] conf = "security_driver = \"selinux\"\n".getBytes(StandardCharsets.UTF_8);
    JournalRun run = Journal.begin(layout(), at(T1), "apply");
    run.recordBefore(QEMU_CONF, Optional.of(conf));
    Map<Path, Optional<byte[]>> batch = new LinkedHashMap<>();
    batch.put(PROFILE, Optional.of("profile a {}\n".getBytes(StandardCharsets.UTF_8)));
    batch.put(QEMU_CONF, Optional.of("later\n".getBytes(StandardCharsets.UTF_8)));
    Path created = Path.of("/etc/apparmor.d/local/abstractions/libvirt-qemu");
    batch.put(created, Optional.empty());
    run.recordAllBefore(batch);
    run.complete("3 changes applied");

    RunRecord r = Journal.load(layout(), run.id());
    assertThat(r.paths()).containsExactly(QEMU_CONF, PROFILE, created);
    assertThat(r.before(QEMU_CONF)).hasValueSatisfying(b -> assertThat(b).isEqualTo(conf));
    assertThat(r.before(PROFILE))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("profile a {}\n"));
    assertThat(r.before(created)).isEmpty();
    try (Stream<Path> files = Files.list(run.directory())) {
      assertThat(files)
          .hasSize(1 + 2 * 2) // the manifest, then an index and packed bytes per batch
          .allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-------"));
    }
  }

  @Test
  void aBatchIsTwoFilesWhateverItsSize() throws IOException {
    Map<Path, Optional<byte[]>> batch = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      batch.put(
          Path.of("/etc/apparmor.d/libvirt/libvirt-guest-" + i),
          i % 10 == 3 ? Optional.empty() : Optional.of(("guest " + i + "\n").getBytes(UTF_8)));
    }
    JournalRun run = Journal.begin(layout(), at(T1), "profile-mode complain");
    run.recordAllBefore(batch);
    run.complete("50 changes applied");

    try (Stream<Path> files = Files.list(run.directory())) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("manifest.json", "batch-000001.json", "batch-000001.before");
    }
    RunRecord r = Journal.load(layout(), run.id());
    assertThat(r.paths()).containsExactlyElementsOf(batch.keySet());
    for (JournalEntry e : r.files()) {
      Optional<byte[]> expected = batch.get(e.path());
      assertThat(r.before(e).map(b -> new String(b, UTF_8)))
          .isEqualTo(expected.map(b -> new String(b, UTF_8)));
    }
  }

  @Test
  void aTornIndexIsSkippedInAnInterruptedRunAndDamageInAFinishedOne() throws IOException {
    JournalRun run = Journal.begin(layout(), at(T1), "apply");
    run.recordBefore(QEMU_CONF, Optional.of("kept\n".getBytes(UTF_8)));
    run.recordBefore(PROFILE, Optional.of("torn\n".getBytes(UTF_8)));
    // The process died while writing the second index: only part of it reached the disk.
    Path torn = run.directory().resolve("batch-000002.json");
    String whole = Files.readString(torn);
    Files.writeString(torn, whole.substring(0, whole.length() / 2));

    RunRecord interrupted = Journal.load(layout(), run.id());
    assertThat(interrupted.status()).isEqualTo(RunStatus.INCOMPLETE);
    assertThat(interrupted.paths()).containsExactly(QEMU_CONF);

    run.complete("2 changes applied");
    assertThatThrownBy(() -> Journal.load(layout(), run.id()))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("journal file " + torn + " is damaged");
  }

  @Test
  void aJournalOfAnotherFormatIsRefusedNamingItsManifest() throws IOException {
    // Format 1 (one copy per entry) was never released: such a run is not read as one.
    Path dir = root.resolve("var/lib/svirtctl/journal/20261129T051500Z-0000");
    Files.createDirectories(dir);
    Path manifest = dir.resolve("manifest.json");
    Files.writeString(
        manifest,
        "{\"format_version\":1,\"id\":\"20261129T051500Z-0000\",\"time\":\"2026-11-29T05:15:00Z\","
            + "\"command\":\"apply\",\"status\":\"complete\",\"summary\":\"2 changes applied\"}\n");
    Files.writeString(
        dir.resolve("entry-000001.json"), "{\"path\":\"" + PROFILE + "\",\"before\":\"absent\"}\n");

    assertThatThrownBy(() -> Journal.load(layout(), "20261129T051500Z-0000"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining(manifest.toString())
        .hasMessageContaining("format_version 1");
  }

  @Test
  void theFirstRecordOfAPathIsKept() {
    JournalRun run = Journal.begin(layout(), at(T1), "apply");
    run.recordBefore(QEMU_CONF, Optional.of("first\n".getBytes(StandardCharsets.UTF_8)));
    run.recordBefore(QEMU_CONF, Optional.of("second\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(run.entries()).hasSize(1);
    assertThat(Journal.load(layout(), run.id()).before(QEMU_CONF))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("first\n"));
  }

  @Test
  void anUnfinishedRunSurvivesAndListsAsIncomplete() {
    JournalRun crashed = Journal.begin(layout(), at(T1), "apply");
    crashed.recordBefore(QEMU_CONF, Optional.of("before\n".getBytes(StandardCharsets.UTF_8)));
    // The process stops here: nothing but the files on disk remains.

    RunRecord seen = Journal.list(layout()).get(0);
    assertThat(seen.id()).isEqualTo(crashed.id());
    assertThat(seen.status()).isEqualTo(RunStatus.INCOMPLETE);
    assertThat(seen.before(QEMU_CONF))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("before\n"));
  }

  @Test
  void aRunKilledInAnotherProcessIsStillJournaled() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                classpath,
                CrashingRunMain.class.getName(),
                root.toString(),
                QEMU_CONF.toString(),
                "user = \"qemu\"\n")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String id;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      id = out.readLine();
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(3);

    assertThat(Journal.list(layout()))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.id()).isEqualTo(id);
              assertThat(r.status()).isEqualTo(RunStatus.INCOMPLETE);
              assertThat(r.before(QEMU_CONF))
                  .hasValueSatisfying(
                      b ->
                          assertThat(new String(b, StandardCharsets.UTF_8))
                              .isEqualTo("user = \"qemu\"\n"));
            });
  }

  @Test
  void listsRunsNewestFirst() {
    assertThat(Journal.list(layout())).isEmpty();
    JournalRun first = Journal.begin(layout(), at(T1), "apply");
    first.complete("1 change applied");
    JournalRun second = Journal.begin(layout(), at(T2), "rollback 20261129T051500Z-0000");
    JournalRun third = Journal.begin(layout(), at(T2), "apply");

    assertThat(third.id()).isEqualTo("20261129T060001Z-0001");
    assertThat(Journal.list(layout()))
        .extracting(RunRecord::id, RunRecord::command, RunRecord::status)
        .containsExactly(
            tuple(third.id(), "apply", RunStatus.INCOMPLETE),
            tuple(second.id(), "rollback 20261129T051500Z-0000", RunStatus.INCOMPLETE),
            tuple(first.id(), "apply", RunStatus.COMPLETE));
  }

  @Test
  void strayEntriesInTheJournalDirectoryAreIgnored() throws IOException {
    Journal.begin(layout(), at(T1), "apply");
    Path journal = root.resolve("var/lib/svirtctl/journal");
    Files.createDirectory(journal.resolve(".new-20261129T070000Z-0000"));
    Files.writeString(journal.resolve("README"), "notes\n");
    assertThat(Journal.list(layout())).hasSize(1);
  }

  @Test
  void unknownRunIsAClearFailure() {
    Journal.begin(layout(), at(T1), "apply");
    Path journal = root.resolve("var/lib/svirtctl/journal");
    assertThatThrownBy(() -> Journal.load(layout(), "20991231T000000Z-0000"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("no run 20991231T000000Z-0000 in " + journal);
    assertThatThrownBy(() -> Journal.load(layout(), "../../../etc"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("no run ../../../etc in " + journal);
  }

  @Test
  void aPathTheRunDidNotChangeHasNoBefore() {
    JournalRun run = Journal.begin(layout(), at(T1), "apply");
    run.complete("no changes");
    assertThatThrownBy(() -> Journal.load(layout(), run.id()).before(QEMU_CONF))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("run " + run.id() + " did not change " + QEMU_CONF);
  }

  @Test
  void damagedJournalCopyIsDetectedNotRestored() throws IOException {
    JournalRun run = Journal.begin(layout(), at(T1), "apply");
    run.recordBefore(QEMU_CONF, Optional.of("good\n".getBytes(StandardCharsets.UTF_8)));
    Path stored = run.directory().resolve("batch-000001.before");
    Files.writeString(stored, "tampered\n");
    assertThatThrownBy(() -> Journal.load(layout(), run.id()).before(QEMU_CONF))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("journal file " + stored + " is damaged");
  }

  @Test
  void recordingAfterCompleteIsAProgrammingError() {
    JournalRun run = Journal.begin(layout(), at(T1), "apply");
    run.complete("done");
    assertThatThrownBy(() -> run.recordBefore(QEMU_CONF, Optional.empty()))
        .isInstanceOf(IllegalStateException.class);
  }

  private static String mode(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
