package io.svirtctl.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 7: a domain XML that is a FIFO, or a symlink to {@code /proc/kmsg}, hung plan
 * and apply while they held the lock. Only regular files are read: each is refused at once with a
 * one-line error naming it, and nothing is written. (The timeout only keeps a regression from
 * hanging the build; it asserts nothing about speed.)
 */
@Timeout(300)
class RegularFilesOnlyIT {

  private static final String DOMAIN_XML = "etc/libvirt/qemu/evil.xml";

  @TempDir Path tmp;

  private static void refusedNaming(CliRun r, Path file, String what) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo("svirtctl: refusing to read " + file + ": " + what);
  }

  @Test
  void aDomainXmlThatIsAFifoIsRefusedByPlanAndApply() {
    TrustRoot host = new TrustRoot(tmp);
    Path fifo = host.path(DOMAIN_XML);
    TrustRoot.mkfifo(fifo);
    SortedMap<String, byte[]> before = host.everything();

    refusedNaming(host.plan(), fifo, "it is a FIFO, expected a regular file");
    refusedNaming(host.apply(), fifo, "it is a FIFO, expected a regular file");
    refusedNaming(host.apply("--check"), fifo, "it is a FIFO, expected a regular file");
    SortedMap<String, byte[]> after = host.everything();
    after.remove("var/lib/svirtctl/lock");
    TrustRoot.assertSameTree(after, before);
  }

  @Test
  void aDomainXmlThatIsASymlinkToProcKmsgIsRefusedWithoutOpeningIt() throws Exception {
    TrustRoot host = new TrustRoot(tmp);
    Path link = host.path(DOMAIN_XML);
    // Taken before the link exists: reading the tree through it would block this test itself.
    SortedMap<String, byte[]> before = host.managed();
    Files.createSymbolicLink(link, Path.of("/proc/kmsg"));

    refusedNaming(host.plan(), link,
        "it is a symbolic link, and svirtctl manages only regular files");
    refusedNaming(host.apply(), link,
        "it is a symbolic link, and svirtctl manages only regular files");
    Files.delete(link);
    TrustRoot.assertSameTree(host.managed(), before);
  }

  @Test
  void aManagedProfileThatIsACharacterDeviceIsRefused() throws Exception {
    TrustRoot host = new TrustRoot(tmp);
    Path profile = host.path(TrustRoot.GUEST_WEB01);
    Files.delete(profile);
    Files.createSymbolicLink(profile, Path.of("/dev/zero"));
    refusedNaming(host.plan(), profile,
        "it is a symbolic link, and svirtctl manages only regular files");
    Files.delete(profile);
  }
}
