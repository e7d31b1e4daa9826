package io.svirtctl.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 9: symlinked ancestors were followed. With {@code <root>/etc} or {@code
 * <root>/etc/apparmor.d} a symbolic link out of the root, apply rewrote the files the link pointed
 * at. The write path examines every directory from the root down (without following links) and
 * refuses a link before anything is written.
 */
class SymlinkedAncestorIT {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"etc", "etc/apparmor.d", "etc/libvirt"})
  void aSymlinkedAncestorIsRefusedAndNothingOutsideTheRootChanges(String ancestor)
      throws IOException {
    TrustRoot host = new TrustRoot(tmp);
    Path outside = tmp.resolve("outside/" + ancestor.replace('/', '_'));
    Files.createDirectories(outside.getParent());
    Files.move(host.path(ancestor), outside);
    Files.createSymbolicLink(host.path(ancestor), outside);
    SortedMap<String, byte[]> outsideBefore = Trees.snapshot(outside);
    SortedMap<String, byte[]> rootBefore = host.everything();

    CliRun r = host.apply();

    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("svirtctl: refusing to write " + host.root)
        .endsWith(": " + host.path(ancestor) + " is a symlink");
    TrustRoot.assertSameTree(Trees.snapshot(outside), outsideBefore);
    SortedMap<String, byte[]> rootAfter = host.everything();
    rootAfter.remove("var/lib/svirtctl/lock");
    TrustRoot.assertSameTree(rootAfter, rootBefore);
    assertThat(host.run("history").out()).doesNotContain("apply");
  }
}
