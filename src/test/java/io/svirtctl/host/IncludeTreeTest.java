package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.apparmor.IncludeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncludeTreeTest {

  @TempDir Path temp;
  private Path dir;
  private IncludeTree tree;

  @BeforeEach
  void tree() throws IOException {
    dir = temp.resolve("root/etc/apparmor.d");
    Files.createDirectories(dir.resolve("abstractions/site.d"));
    Files.writeString(dir.resolve("abstractions/base"), "/etc/ld.so.cache r,\n");
    Files.writeString(dir.resolve("abstractions/site.d/a"), "/srv/a r,\n");
    Files.writeString(dir.resolve("abstractions/site"),
        "  include <abstractions/base>\n  include if exists <local/site>\n  #include <abstractions/site.d>\n");
    Files.writeString(dir.resolve("abstractions/broken"), "# x\n  #include <local/missing>\n");
    Files.writeString(temp.resolve("shadow"), "secret\n");
    Files.createSymbolicLink(dir.resolve("abstractions/escape"), temp.resolve("shadow"));
    tree = new IncludeTree(Path.of("/etc/apparmor.d"), dir);
  }

  @Test
  void filesAndDirectoriesOfTheTreeResolveWithEverythingTheyInclude() {
    assertThat(tree.problem(new IncludeTarget("abstractions/base", false))).isEmpty();
    assertThat(tree.problem(new IncludeTarget("abstractions/site", false))).isEmpty();
    assertThat(tree.problem(new IncludeTarget("abstractions/site.d", false))).isEmpty();
    assertThat(tree.problem(new IncludeTarget("local/not-yet", true))).isEmpty();
  }

  @Test
  void aMissingFileALinkOutOfTheTreeAndAMissingIncludeFurtherDownAreRefused() {
    assertThat(tree.problem(new IncludeTarget("local/not-yet", false))).contains(
        "include <local/not-yet> does not resolve: /etc/apparmor.d/local/not-yet does not exist on this host"
            + " (use 'include if exists' for a file that may be missing)");
    assertThat(tree.problem(new IncludeTarget("abstractions/escape", false)).orElseThrow())
        .startsWith("include <abstractions/escape> resolves outside /etc/apparmor.d");
    assertThat(tree.problem(new IncludeTarget("abstractions/broken", false))).contains(
        "include <abstractions/broken> pulls in /etc/apparmor.d/abstractions/broken, whose include of"
            + " local/missing does not resolve: /etc/apparmor.d/local/missing does not exist on this host"
            + " (use 'include if exists' for a file that may be missing)");
  }
}
