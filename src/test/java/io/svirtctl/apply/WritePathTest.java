package io.svirtctl.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.OperationFailedException;
import io.svirtctl.TestHosts;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.host.HostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write path's last check: a file touched after it was read is never replaced. */
class WritePathTest {

  private static final Path TEMPLATE = Path.of("/etc/apparmor.d/libvirt/TEMPLATE.qemu");
  private static final Path QEMU_CONF = Path.of("/etc/libvirt/qemu.conf");
  private static final String EDIT = "# an admin edit after svirtctl read the file\n";

  @TempDir Path tmp;

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aFileEditedBetweenItsReadAndItsRenameStopsTheRunAndWhatWasRenamedIsPutBack()
      throws IOException {
    Path root = TestHosts.copyDemo(tmp);
    HostLayout layout = TestHosts.layout(root);
    Path template = layout.resolve(TEMPLATE);
    Path qemuConf = layout.resolve(QEMU_CONF);
    byte[] templateBefore = read(template);
    byte[] confBefore = read(qemuConf);
    List<WritePath.Change> changes = List.of(
        WritePath.Change.write(TEMPLATE, Fingerprint.of(Optional.of(templateBefore)),
            (new String(templateBefore, StandardCharsets.UTF_8) + "# new\n").getBytes(StandardCharsets.UTF_8)),
        WritePath.Change.write(QEMU_CONF, Fingerprint.of(Optional.of(confBefore)),
            "security_driver = \"apparmor\"\n".getBytes(StandardCharsets.UTF_8)));
    WritePath path = new WritePath(layout, Clock.systemUTC()).withBeforeRenames(() -> {
      try {
        Files.writeString(qemuConf, EDIT, java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    assertThatThrownBy(() -> path.commit("apply -f x.yaml", changes, "2 change(s)"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith(qemuConf + " changed while svirtctl was writing; it was left as"
            + " it is; run ")
        .hasMessageEndingWith(" stopped and put back the 1 file(s) it had changed, nothing is"
            + " changed");

    assertThat(read(template)).isEqualTo(templateBefore);
    assertThat(Files.readString(qemuConf))
        .isEqualTo(new String(confBefore, StandardCharsets.UTF_8) + EDIT);
    List<RunRecord> runs = Journal.list(layout);
    assertThat(runs).singleElement().satisfies(run -> {
      assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
      assertThat(run.before(QEMU_CONF)).hasValue(confBefore);
    });
  }

  @Test
  void aPathOutsideTheManagedFilesIsRefusedBeforeAnythingIsRead() throws IOException {
    Path root = TestHosts.copyDemo(tmp);
    HostLayout layout = TestHosts.layout(root);
    WritePath path = new WritePath(layout, Clock.systemUTC());
    List<WritePath.Change> changes = List.of(WritePath.Change.write(
        Path.of("/etc/cron.d/x"), Fingerprint.ABSENT, "x\n".getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> path.commit("apply", changes, "1 change(s)"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("refusing to write /etc/cron.d/x: not a file svirtctl manages");
    assertThat(root.resolve("etc/cron.d")).doesNotExist();
    assertThat(Journal.list(layout)).isEmpty();
  }
}
