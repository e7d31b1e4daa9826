package io.svirtctl.apparmor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppArmorGlobTest {

  private static boolean matches(String glob, String path) {
    return AppArmorGlob.compile(glob, Map.of()).orElseThrow().matches(path);
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(delimiter = '|', value = {
    "/srv/*|/srv/a.img|true",
    "/srv/*|/srv/sub/a.img|false",
    "/srv/*|/srv/|true",
    "/srv/**|/srv/sub/deep/a.img|true",
    "/srv/**|/srv/|true",
    "/srv/**.img|/srv/a/b.img|true",
    "/srv/**.img|/srv/a/b.iso|false",
    "/dev/sd?|/dev/sda|true",
    "/dev/sd?|/dev/sd/|false",
    "/dev/sd?|/dev/sdaa|false",
    "/dev/sd[a-c]|/dev/sdb|true",
    "/dev/sd[a-c]|/dev/sdd|false",
    "/dev/sd[^a-c]|/dev/sdd|true",
    "/dev/sd[^a-c]|/dev/sda|false",
    "/srv/{iso,img}/*|/srv/iso/x|true",
    "/srv/{iso,img}/*|/srv/img/x|true",
    "/srv/{iso,img}/*|/srv/raw/x|false",
    "/a/{b,c{d,e}}/f|/a/ce/f|true",
    "/a/{b,c{d,e}}/f|/a/cf/f|false",
    "/a/{,x}y|/a/y|true",
    "/a/\\*|/a/*|true",
    "/a/\\*|/a/b|false",
    "/a/b.c|/a/bxc|false",
    "/a/(x)+|/a/(x)+|true",
  })
  void matchesAsApparmorParserDoes(String glob, String path, boolean expected) {
    assertThat(matches(glob, path)).isEqualTo(expected);
  }

  @Test
  void variablesExpandToEachValueAndNest() {
    Map<String, List<String>> vars = new Tunables()
        .add("@{HOMEDIRS}=/home/\n@{HOME}=@{HOMEDIRS}/*/ /root/\n@{HOMEDIRS}+=/srv/home/\n")
        .variables();
    AppArmorGlob g = AppArmorGlob.compile("@{HOME}.ssh/**", vars).orElseThrow();
    assertThat(g.matches("/home/alice/.ssh/id")).isTrue();
    assertThat(g.matches("/srv/home/bob/.ssh/id")).isTrue();
    assertThat(g.matches("/root/.ssh/id")).isTrue();
    assertThat(g.matches("/tmp/.ssh/id")).isFalse();
  }

  @Test
  void malformedPatternsAndUnknownVariablesDoNotCompile() {
    assertThat(AppArmorGlob.compile("/a/{b,c", Map.of())).isEmpty();
    assertThat(AppArmorGlob.compile("/a/b}", Map.of())).isEmpty();
    assertThat(AppArmorGlob.compile("/a/[bc", Map.of())).isEmpty();
    assertThat(AppArmorGlob.compile("@{NOPE}/x", Map.of())).isEmpty();
    assertThat(AppArmorGlob.compile("@{A}", Map.of("A", List.of("@{A}")))).isEmpty();
  }

  @Test
  void theInstalledTunablesDefineHomeAndProc() throws IOException {
    // The apparmor package (installed by .ci/run) ships them.
    Path dir = Path.of("/etc/apparmor.d/tunables");
    Tunables t = new Tunables();
    for (String f : List.of("home", "proc")) {
      t.add(Files.readString(dir.resolve(f)));
    }
    Map<String, List<String>> vars = t.variables();
    assertThat(AppArmorGlob.compile("@{HOME}/.cache/**", vars).orElseThrow()
        .matches("/home/alice/.cache/x/y")).isTrue();
    assertThat(AppArmorGlob.compile("@{PROC}/sys/**", vars).orElseThrow()
        .matches("/proc/sys/kernel/x")).isTrue();
  }
}
