package io.svirtctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineIndexTest {

  @Test
  void linesAreSeparatedByNewlineOnlyAndBothCountFromOne() {
    LineIndex idx = LineIndex.of("ab\ncd\r\nef\n");
    assertThat(idx.location("f", 0)).isEqualTo(new SourceLocation("f", 1, 1));
    assertThat(idx.location("f", 2)).as("the newline itself ends line 1").isEqualTo(new SourceLocation("f", 1, 3));
    assertThat(idx.location("f", 3)).isEqualTo(new SourceLocation("f", 2, 1));
    assertThat(idx.location("f", 5)).as("a CR is part of its line").isEqualTo(new SourceLocation("f", 2, 3));
    assertThat(idx.location("f", 7)).isEqualTo(new SourceLocation("f", 3, 1));
    assertThat(idx.location("f", 10)).as("the end of a text ending in a newline").isEqualTo(new SourceLocation("f", 4, 1));
  }

  @Test
  void columnsCountCodePointsNotUtf16Units() {
    String text = "x\n\uD83D\uDE00\u00e9=";
    LineIndex idx = LineIndex.of(text);
    assertThat(idx.column(text.indexOf('='))).as("an emoji and an e-acute are one column each").isEqualTo(3);
    assertThat(idx.line(text.indexOf('='))).isEqualTo(2);
  }

  @Test
  void aTextWithoutNewlineIsOneLine() {
    LineIndex idx = LineIndex.of("");
    assertThat(idx.location("f", 0)).isEqualTo(new SourceLocation("f", 1, 1));
  }
}
