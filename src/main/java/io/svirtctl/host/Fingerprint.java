package io.svirtctl.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a host file held when it was read: {@code absent} when there was no file, otherwise {@code
 * sha256:<64 lowercase hex>} of its bytes. Two reads with equal fingerprints saw the same bytes,
 * which is how apply refuses a plan made from files that changed since.
 */
public record Fingerprint(String value) {

  // Declared before ABSENT: the constructor of ABSENT uses it.
  private static final Pattern FORM = Pattern.compile("absent|sha256:[0-9a-f]{64}");

  /** The fingerprint of a file that does not exist. */
  public static final Fingerprint ABSENT = new Fingerprint("absent");

  public Fingerprint {
    Objects.requireNonNull(value, "value");
    if (!FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("not a fingerprint: " + value);
    }
  }

  /** The fingerprint of a file's bytes, or {@link #ABSENT} when there is no file. */
  public static Fingerprint of(Optional<byte[]> bytes) {
    return bytes.map(Fingerprint::ofBytes).orElse(ABSENT);
  }

  /** The fingerprint of a file holding exactly this text in UTF-8. */
  public static Fingerprint ofText(String text) {
    return ofBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Fingerprint ofBytes(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return new Fingerprint("sha256:" + HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Whether this is the fingerprint of a missing file. */
  public boolean isAbsent() {
    return this.equals(ABSENT);
  }

  @Override
  public String toString() {
    return value;
  }
}
