package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import io.svirtctl.SourceLocation;
import io.svirtctl.TestHosts;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostReaderTest {

  private static final Path QEMU_CONF = Path.of("/etc/libvirt/qemu.conf");

  @TempDir Path tmp;
  private Path root;
  private HostReader reader;

  @BeforeEach
  void setUp() throws IOException {
    root = tmp.resolve("root");
    Files.createDirectories(root.resolve("etc/libvirt"));
    reader = new HostReader(TestHosts.layout(root));
  }

  @Test
  void readsTextAndFingerprintOfTheBytes() throws Exception {
    byte[] bytes = "security_driver = \"apparmor\"\n# café\n".getBytes(StandardCharsets.UTF_8);
    Files.write(root.resolve("etc/libvirt/qemu.conf"), bytes);

    HostFile file = reader.read(QEMU_CONF);

    assertThat(file.path()).isEqualTo(QEMU_CONF);
    assertThat(file.exists()).isTrue();
    assertThat(file.text()).contains("security_driver = \"apparmor\"\n# café\n");
    assertThat(file.fingerprint().value()).isEqualTo("sha256:" + sha256(bytes));
    assertThat(file.bytes()).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
  }

  @Test
  void missingFileReadsAsAbsent() {
    HostFile file = reader.read(QEMU_CONF);
    assertThat(file.exists()).isFalse();
    assertThat(file.text()).isEmpty();
    assertThat(file.fingerprint()).isEqualTo(Fingerprint.ABSENT);
    assertThat(reader.fingerprint(QEMU_CONF)).isEqualTo(Fingerprint.ABSENT);
  }

  @Test
  void symlinkedQemuConfIsRefused() throws IOException {
    Path elsewhere = tmp.resolve("elsewhere.conf");
    Files.writeString(elsewhere, "user = \"root\"\n");
    Path link = root.resolve("etc/libvirt/qemu.conf");
    Files.createSymbolicLink(link, elsewhere);

    assertThatThrownBy(() -> reader.read(QEMU_CONF))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage(
            "refusing to read "
                + link
                + ": it is a symbolic link, and svirtctl manages only regular files");
    assertThatThrownBy(() -> reader.readBytes(QEMU_CONF))
        .isInstanceOf(OperationFailedException.class);
  }

  @Test
  void danglingSymlinkIsRefusedNotReadAsAbsent() throws IOException {
    Files.createSymbolicLink(root.resolve("etc/libvirt/qemu.conf"), tmp.resolve("nowhere"));
    assertThatThrownBy(() -> reader.read(QEMU_CONF))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void directoryWhereAFileIsExpectedIsRefused() throws IOException {
    Path dir = Files.createDirectories(root.resolve("etc/libvirt/qemu.conf"));
    assertThatThrownBy(() -> reader.read(QEMU_CONF))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("refusing to read " + dir + ": it is a directory, expected a regular file");
  }

  @Test
  void invalidUtf8IsReportedAtItsLineAndColumn() throws IOException {
    Path real = root.resolve("etc/libvirt/qemu.conf");
    byte[] bytes = {'a', 'b', '\n', 'c', (byte) 0xc3, (byte) 0xa9, 'd', (byte) 0xff, 'e', '\n'};
    Files.write(real, bytes);

    assertThatThrownBy(() -> reader.read(QEMU_CONF))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.diagnostics()).hasSize(1);
              assertThat(e.diagnostics().get(0).location())
                  .isEqualTo(new SourceLocation(real.toString(), 2, 4));
              assertThat(e.getMessage())
                  .isEqualTo(real + ":2:4: invalid UTF-8 (byte 0xff at offset 7)");
            });
  }

  @Test
  void truncatedMultibyteSequenceAtTheEndIsInvalid() throws IOException {
    Path real = root.resolve("etc/libvirt/qemu.conf");
    Files.write(real, new byte[] {'x', '\n', (byte) 0xe2, (byte) 0x82});
    assertThatThrownBy(() -> reader.read(QEMU_CONF))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(real + ":2:1: invalid UTF-8 (byte 0xe2 at offset 2)");
  }

  @Test
  void rawBytesAreReadEvenWhenNotUtf8() throws IOException {
    byte[] bytes = {(byte) 0xff, 0, 1};
    Files.write(root.resolve("etc/libvirt/qemu.conf"), bytes);
    assertThat(reader.readBytes(QEMU_CONF)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
    assertThat(reader.fingerprint(QEMU_CONF)).isEqualTo(Fingerprint.of(Optional.of(bytes)));
  }

  @Test
  void fileLargerThanTheCapIsRefused() throws IOException {
    Path real = root.resolve("etc/libvirt/qemu.conf");
    try (RandomAccessFile f = new RandomAccessFile(real.toFile(), "rw")) {
      f.setLength(HostReader.MAX_BYTES + 1L); // sparse: costs no disk space
    }
    assertThatThrownBy(() -> reader.read(QEMU_CONF))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("refusing to read " + real + ": it is larger than 16 MiB");
  }

  @Test
  void byteOrderMarkIsKeptSoBytesRoundTrip() throws IOException {
    byte[] bytes = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'a', '\n'};
    Files.write(root.resolve("etc/libvirt/qemu.conf"), bytes);
    assertThat(reader.read(QEMU_CONF).bytes())
        .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
