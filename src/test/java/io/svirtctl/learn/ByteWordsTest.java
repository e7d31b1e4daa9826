package io.svirtctl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Eight bytes at a time: the lowest match is found wherever it is in a word. */
class ByteWordsTest {

  @Test
  void theLowestMatchIsTheFirstMatchingByte() {
    for (int at = 0; at < 8; at++) {
      for (int later = at; later < 8; later++) {
        byte[] b = "abcdefgh".getBytes();
        b[at] = '=';
        b[later] = '=';
        long w = ByteWords.word(b, 0);
        assertThat(ByteWords.lowest(ByteWords.equal(w, ByteWords.spread('='))))
            .as("'=' at %d and %d", at, later).isEqualTo(at);
        b[at] = '\n';
        w = ByteWords.word(b, 0);
        assertThat(ByteWords.lowest(ByteWords.below(w, ByteWords.spread((char) 0x0e))))
            .as("line feed at %d", at).isEqualTo(at);
        assertThat(ByteWords.lowest(ByteWords.zero(w ^ ByteWords.spread('\n')))).isEqualTo(at);
      }
    }
  }
}
