package io.svirtctl.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.host.Fingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, item 1: {@code rollback} trusted the journal (entries naming {@code /etc/shadow} or
 * {@code /etc/cron.d/x} were deleted or written under the root), and the state directory was
 * accepted whatever its owner and mode, so a user owning it could plant a run that root's next
 * {@code rollback} carried out. Now a journal naming a file svirtctl does not manage is refused
 * whole (exit 65, nothing written), and a state directory, or a directory on the way to it, owned
 * by another user or writable by group or others is refused with one line naming it.
 */
class StateDirectoryIT {

  private static final String PLANTED = "20991231T235959Z-0000";
  private static final String OTHER_UID = "4242";

  @TempDir Path tmp;

  /** A complete run in the journal that "changed" {@code target}; before it, {@code before}. */
  private static void plantRun(TrustRoot host, String target, Optional<String> before)
      throws IOException {
    Path run = host.path("var/lib/svirtctl/journal/" + PLANTED);
    Files.createDirectories(run);
    Files.writeString(run.resolve("manifest.json"),
        "{\"format_version\":2,\"id\":\"" + PLANTED + "\",\"time\":\"2099-12-31T23:59:59Z\","
            + "\"command\":\"apply -f x.yaml\",\"status\":\"complete\",\"summary\":\"1 change\"}\n");
    byte[] bytes = before.orElse("").getBytes(StandardCharsets.UTF_8);
    Files.write(run.resolve("batch-000001.before"), bytes);
    String fingerprint =
        Fingerprint.of(before.map(b -> b.getBytes(StandardCharsets.UTF_8))).value();
    Files.writeString(run.resolve("batch-000001.json"),
        "{\"entries\":[{\"path\":\"" + target + "\",\"before\":\"" + fingerprint
            + "\",\"offset\":0,\"length\":" + bytes.length + "}]}\n");
  }

  private static TrustRoot applied(Path dir) {
    TrustRoot host = new TrustRoot(dir);
    CliRun apply = host.apply();
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    return host;
  }

  @Test
  void rollbackRefusesAJournalThatWouldDeleteEtcShadow() throws IOException {
    TrustRoot host = applied(tmp);
    host.write("etc/shadow", "root:*:19000:0:99999:7:::\n");
    // "Before the run, /etc/shadow did not exist": carrying it out deletes the file.
    plantRun(host, "/etc/shadow", Optional.empty());
    SortedMap<String, byte[]> before = host.everything();

    CliRun r = host.run("rollback", "--no-reload");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(65);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("svirtctl: ")
        .contains("refusing to roll back run " + PLANTED + ": it names /etc/shadow, which is not a"
            + " file svirtctl manages");
    SortedMap<String, byte[]> after = host.everything();
    after.remove("var/lib/svirtctl/lock");
    before.remove("var/lib/svirtctl/lock");
    TrustRoot.assertSameTree(after, before);
  }

  @Test
  void rollbackByIdRefusesAJournalThatWouldWriteACronJob() throws IOException {
    TrustRoot host = applied(tmp);
    plantRun(host, "/etc/cron.d/x", Optional.of("* * * * * root /tmp/evil\n"));
    SortedMap<String, byte[]> before = host.managed();

    CliRun r = host.run("rollback", PLANTED, "--no-reload");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(65);
    assertThat(r.err()).contains("it names /etc/cron.d/x, which is not a file svirtctl manages");
    assertThat(host.path("etc/cron.d/x")).doesNotExist();
    TrustRoot.assertSameTree(host.managed(), before);
  }

  /** Runs as root: gives a directory to another user, then every command that writes refuses. */
  @ParameterizedTest
  @ValueSource(strings = {"var/lib/svirtctl", "var/lib", "var"})
  void aDirectoryOnTheWayOwnedByAnotherUserIsRefused(String dir) throws Exception {
    TrustRoot host = new TrustRoot(tmp);
    Files.createDirectories(host.path("var/lib/svirtctl"));
    Files.setAttribute(host.path(dir), "unix:uid", Integer.parseInt(OTHER_UID));
    SortedMap<String, byte[]> before = host.everything();

    for (CliRun r : new CliRun[] {host.apply(), host.run("rollback", "--no-reload")}) {
      assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
      assertThat(r.err().strip())
          .isEqualTo("svirtctl: refusing to use " + host.path(dir) + ": it is owned by uid "
              + OTHER_UID + ", not by the user running svirtctl (uid 0) or root");
    }
    TrustRoot.assertSameTree(host.everything(), before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"var/lib/svirtctl:rwxrwx---", "var/lib/svirtctl:rwx---rwx", "var:rwxrwxrwx"})
  void aDirectoryOnTheWayWritableByOthersIsRefused(String dirAndMode) throws Exception {
    String dir = dirAndMode.split(":")[0];
    String mode = dirAndMode.split(":")[1];
    TrustRoot host = applied(tmp);
    Files.setPosixFilePermissions(host.path(dir), PosixFilePermissions.fromString(mode));
    host.write(TrustRoot.QEMU_CONF, host.read(TrustRoot.QEMU_CONF) + "# admin edit\n");
    SortedMap<String, byte[]> before = host.everything();

    CliRun r = host.apply();

    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("svirtctl: refusing to use " + host.path(dir)
            + ": it is writable by its group or others (mode 0");
    TrustRoot.assertSameTree(host.everything(), before);
  }

  @Test
  void aNewStateDirectoryIsPrivateWhateverItsParentsAre() throws IOException {
    TrustRoot host = applied(tmp);
    Path state = host.path("var/lib/svirtctl");
    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(mode(state.resolve("lock"))).isEqualTo("rw-------");
    assertThat(mode(host.path("var/lib"))).isEqualTo("rwxr-xr-x");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
