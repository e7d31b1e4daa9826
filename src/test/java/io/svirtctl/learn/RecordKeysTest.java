package io.svirtctl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The memo of record keys tells keys apart by their bytes, not by their hash. */
class RecordKeysTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void keysWithTheSameHashAndLengthAreToldApartByEveryByte() {
    RecordKeys keys = new RecordKeys();
    byte[] line = ascii("xx apparmor=\"ALLOWED\" name=\"/srv/disk-a\" ouid=1 apparmor=\"ALLOWED\""
        + " name=\"/srv/disk-a\" ouid=2");
    int first = 3;
    int length = 44;
    int second = first + length + 1;
    int hash = 42;
    assertThat(keys.find(line, first, length, hash)).isEqualTo(-1);
    int a = keys.add(line, first, length, hash);
    // Same hash, same length, different last byte: a different key.
    assertThat(keys.find(line, second, length, hash)).isEqualTo(-1);
    int b = keys.add(line, second, length, hash);
    assertThat(b).isNotEqualTo(a);
    assertThat(keys.find(line, first, length, hash)).isEqualTo(a);
    assertThat(keys.find(line, second, length, hash)).isEqualTo(b);
    // A prefix of a key is not the key.
    assertThat(keys.find(line, first, length - 1, hash)).isEqualTo(-1);
  }

  @Test
  void aFullMemoIsClearedAndFillsAgain() {
    RecordKeys keys = new RecordKeys();
    int n = 0;
    while (!keys.full(16)) {
      byte[] key = ascii(String.format("key-%012d", n));
      assertThat(keys.add(key, 0, key.length, n * 31)).isEqualTo(n);
      n++;
    }
    assertThat(n).isEqualTo(RecordKeys.MAX_ENTRIES);
    byte[] some = ascii(String.format("key-%012d", 7));
    assertThat(keys.find(some, 0, some.length, 7 * 31)).isEqualTo(7);
    keys.clear();
    assertThat(keys.size()).isZero();
    assertThat(keys.find(some, 0, some.length, 7 * 31)).isEqualTo(-1);
    assertThat(keys.add(some, 0, some.length, 7 * 31)).isZero();
  }
}
