package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  @Test
  void missingFileIsAbsent() {
    assertThat(Fingerprint.of(Optional.empty())).isEqualTo(Fingerprint.ABSENT);
    assertThat(Fingerprint.ABSENT.value()).isEqualTo("absent");
    assertThat(Fingerprint.ABSENT.isAbsent()).isTrue();
  }

  @Test
  void bytesGiveTheirSha256() {
    // sha256("abc"), the FIPS 180-2 example digest.
    Fingerprint f = Fingerprint.of(Optional.of("abc".getBytes(StandardCharsets.US_ASCII)));
    assertThat(f.value())
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(f.isAbsent()).isFalse();
  }

  @Test
  void emptyFileIsNotAbsent() {
    assertThat(Fingerprint.of(Optional.of(new byte[0]))).isNotEqualTo(Fingerprint.ABSENT);
  }

  @Test
  void textAndItsUtf8BytesAgree() {
    String text = "# qemu.conf for the hyperviseur é\n";
    assertThat(Fingerprint.ofText(text))
        .isEqualTo(Fingerprint.of(Optional.of(text.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void refusesOtherForms() {
    assertThatThrownBy(() -> new Fingerprint("md5:abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Fingerprint("sha256:ABC"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
