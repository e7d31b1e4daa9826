package io.svirtctl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposition checker the status goldens rely on accepts valid text and names each fault. */
class ExpositionTest {

  private static final String HEAD = "# HELP m A metric.\n# TYPE m gauge\n";

  @Test
  void acceptsValidTextAndUnescapesLabels() {
    String text = HEAD + "m{a=\"x\\\"y\\\\z\\nw\",b=\"\"} 1\nm{a=\"2\"} -1.5e3\n";
    assertThat(Exposition.check(text)).isEmpty();
    assertThat(Exposition.samples(text, "m"))
        .extracting(Exposition.Sample::labels)
        .first()
        .isEqualTo(Map.of("a", "x\"y\\z\nw", "b", ""));
  }

  @Test
  void namesEachFault() {
    assertThat(Exposition.check("m 1\n")).singleElement().asString().contains("no HELP or TYPE");
    assertThat(Exposition.check(HEAD + "m{a=\"x\"y\"} 1\n")).isNotEmpty();
    assertThat(Exposition.check(HEAD + "m{a=\"x\\q\"} 1\n")).anyMatch(p -> p.contains("bad escape"));
    assertThat(Exposition.check(HEAD + "m{a=\"x} 1\n")).isNotEmpty();
    assertThat(Exposition.check(HEAD + "m one\n")).anyMatch(p -> p.contains("not a number"));
    assertThat(Exposition.check(HEAD + "m 1\nm 2\n")).anyMatch(p -> p.contains("repeated"));
    assertThat(Exposition.check(HEAD + "m 1")).anyMatch(p -> p.contains("newline"));
    assertThat(Exposition.check(HEAD + "m 1\n# HELP n N.\n# TYPE n gauge\nn 1\nm{a=\"1\"} 1\n"))
        .anyMatch(p -> p.contains("second block"));
    assertThat(Exposition.check("# HELP m A.\n# TYPE m gauges\nm 1\n"))
        .anyMatch(p -> p.contains("unknown type"));
    assertThat(Exposition.check(HEAD + "1m 1\n")).anyMatch(p -> p.contains("bad metric name"));
    assertThat(Exposition.check(HEAD + "m{1a=\"x\"} 1\n")).anyMatch(p -> p.contains("bad label name"));
  }
}
