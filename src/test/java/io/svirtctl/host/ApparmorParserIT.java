package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.InvalidInputException;
import io.svirtctl.OperationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real apparmor_parser (skipped when it is missing, unless SVIRTCTL_REQUIRE_TOOLS=1). */
class ApparmorParserIT {

  static final Path PARSER = Path.of("/usr/sbin/apparmor_parser");

  @TempDir Path dir;

  static ApparmorParser parser() {
    ApparmorParser p = new ApparmorParser(PARSER, Duration.ofSeconds(60));
    if (!p.isInstalled()) {
      if ("1".equals(System.getenv("SVIRTCTL_REQUIRE_TOOLS"))) {
        throw new AssertionError("apparmor_parser is required but missing at " + PARSER);
      }
      Assumptions.abort("apparmor_parser not installed at " + PARSER);
    }
    return p;
  }

  @Test
  void checksAProfileAgainstTheRootsApparmorDirectory() throws IOException {
    ApparmorParser p = parser();
    Path apparmor = Files.createDirectories(dir.resolve("etc/apparmor.d"));
    Files.createDirectories(apparmor.resolve("local"));
    Files.writeString(apparmor.resolve("local/site"), "  /srv/site/** r,\n");
    Path ok = apparmor.resolve("ok");
    Files.writeString(ok, "profile ok flags=(complain) {\n  #include <local/site>\n  /x r,\n}\n");
    assertThatCode(() -> p.check(apparmor, ok)).doesNotThrowAnyException();

    Path bad = apparmor.resolve("bad");
    Files.writeString(bad, "profile bad flags=(complain,kill) {\n  /x r,\n}\n");
    assertThatThrownBy(() -> p.check(apparmor, bad))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(bad + ":1: apparmor_parser rejects the profile")
        .hasMessageContaining("conflicts");

    Path missingInclude = apparmor.resolve("inc");
    Files.writeString(missingInclude, "profile inc {\n  #include <local/nothing-here>\n}\n");
    assertThatThrownBy(() -> p.check(List.of(apparmor), missingInclude))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nothing-here");
  }

  @Test
  void aMissingParserIsAnOperationFailure() {
    ApparmorParser p = new ApparmorParser(dir.resolve("no-parser"), Duration.ofSeconds(5));
    assertThat(p.isInstalled()).isFalse();
    assertThatThrownBy(() -> p.check(dir, dir.resolve("x")))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("not found");
  }
}
