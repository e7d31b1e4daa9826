package io.svirtctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8Test {

  @Test
  void validTextDecodesAsIs() {
    assertThat(StrictUtf8.decode("a\nbé 𝄞\n".getBytes(StandardCharsets.UTF_8), "f")).isEqualTo("a\nbé 𝄞\n");
    assertThat(StrictUtf8.firstInvalid("ok".getBytes(StandardCharsets.UTF_8), "f")).isEmpty();
  }

  @Test
  void theFirstBadByteIsReportedAtItsLineAndCharacterColumn() {
    byte[] bytes = {'a', '\n', 'b', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 'x'};
    assertThat(StrictUtf8.firstInvalid(bytes, "f")).contains(new SourceLocation("f", 2, 3));
    assertThatThrownBy(() -> StrictUtf8.decode(bytes, "f"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("f:2:3: invalid UTF-8 (byte 0xff at offset 5)");
  }

  @Test
  void aCutOffMultibyteCharacterAtTheEndIsInvalidToo() {
    byte[] bytes = {'a', (byte) 0xe2, (byte) 0x82};
    assertThat(StrictUtf8.firstInvalid(bytes, "f")).contains(new SourceLocation("f", 1, 2));
  }
}
