package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriterTest {

  @TempDir Path dir;

  private final AtomicFileWriter writer = new AtomicFileWriter();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Stream<String> names() throws IOException {
    return Files.list(dir).map(p -> p.getFileName().toString()).sorted();
  }

  @Test
  void replacesAFileKeepingItsModeAndLeavesNoTempFile() throws IOException {
    Path f = dir.resolve("profile");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    writer.write(f, bytes("new"));
    assertThat(f).hasContent("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r-----");
    assertThat(names()).containsExactly("profile");
  }

  @Test
  void createsNewFilesWithMode0644() throws IOException {
    Path f = dir.resolve("new");
    writer.write(f, bytes("x\n"));
    assertThat(f).hasContent("x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void refusesSymlinksDirectoriesAndEmptyContentWithoutTouchingAnything() throws IOException {
    Path real = dir.resolve("real");
    Files.writeString(real, "keep");
    Path link = dir.resolve("link");
    Files.createSymbolicLink(link, real);
    assertThatThrownBy(() -> writer.write(link, bytes("x")))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining(link.toString())
        .hasMessageContaining("symlink");
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path linkedDir = Files.createSymbolicLink(dir.resolve("linkeddir"), sub);
    assertThatThrownBy(() -> writer.write(linkedDir.resolve("f"), bytes("x")))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("is a symlink");
    assertThatThrownBy(() -> writer.write(sub, bytes("x")))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("directory");
    assertThatThrownBy(() -> writer.write(real, new byte[0]))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> writer.write(dir.resolve("missing/f"), bytes("x")))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("missing");
    assertThat(real).hasContent("keep");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(names()).containsExactly("link", "linkeddir", "real", "sub");
    assertThat(sub).isEmptyDirectory();
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTempFile() throws IOException {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Path f = ro.resolve("profile");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    // Mode bits do not stop root (CI runs as root): then the directory is made immutable too.
    boolean immutable = Files.isWritable(ro);
    try {
      if (immutable) {
        chattr("+i", ro);
      }
      assertThatThrownBy(() -> writer.write(f, bytes("new")))
          .isInstanceOf(OperationFailedException.class)
          .hasMessageContaining(f.toString());
      assertThat(f).hasContent("old");
      assertThat(Files.list(ro)).hasSize(1);
    } finally {
      if (immutable) {
        chattr("-i", ro);
      }
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static void chattr(String flag, Path path) throws IOException {
    try {
      Process p = new ProcessBuilder("chattr", flag, path.toString()).inheritIO().start();
      assertThat(p.waitFor()).as("chattr %s %s", flag, path).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Test
  void deletesCarefully() throws IOException {
    Path f = dir.resolve("gone");
    Files.writeString(f, "x");
    assertThat(writer.delete(f)).isTrue();
    assertThat(writer.delete(f)).isFalse();
    Path link = Files.createSymbolicLink(dir.resolve("l"), dir.resolve("target"));
    assertThatThrownBy(() -> writer.delete(link)).isInstanceOf(OperationFailedException.class);
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void writesManyFilesInOneBatchKeepingModesAndLeavingNoTempFile() throws IOException {
    List<AtomicFileWriter.Replacement> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Path f = dir.resolve("libvirt-" + i);
      Files.writeString(f, "old " + i);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
      batch.add(new AtomicFileWriter.Replacement(f, bytes("new " + i)));
    }
    batch.add(new AtomicFileWriter.Replacement(dir.resolve("created"), bytes("fresh")));
    writer.writeAll(batch);
    for (int i = 0; i < 40; i++) {
      Path f = dir.resolve("libvirt-" + i);
      assertThat(f).hasContent("new " + i);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
          .isEqualTo("rw-r-----");
    }
    assertThat(dir.resolve("created")).hasContent("fresh");
    assertThat(names()).hasSize(41).noneMatch(n -> n.startsWith("."));
  }

  @Test
  void aBatchWithAFileThatCannotBeWrittenRenamesNothing() throws IOException {
    Path keep = dir.resolve("keep");
    Files.writeString(keep, "old");
    Path sub = Files.createDirectory(dir.resolve("sub"));
    assertThatThrownBy(
            () ->
                writer.writeAll(
                    List.of(
                        new AtomicFileWriter.Replacement(keep, bytes("new")),
                        new AtomicFileWriter.Replacement(sub, bytes("x")))))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("directory");
    assertThat(keep).hasContent("old");
    assertThat(names()).containsExactly("keep", "sub");
  }
}
