package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A throwaway GnuPG home for signing test commits: keys made with {@code gpg --batch
 * --quick-gen-key} and no passphrase. {@link #close} stops the gpg-agent that key generation
 * started.
 */
final class GnuPg implements AutoCloseable {

  /** A key of this home, named by its e-mail address; {@link #env} signs with it. */
  record Key(String email, Path home) {

    /** The environment git needs to sign with this key. */
    Map<String, String> env() {
      return Map.of("GNUPGHOME", home.toString());
    }
  }

  private final Path home;
  private final Path gpg;

  private GnuPg(Path home, Path gpg) {
    this.home = home;
    this.gpg = gpg;
  }

  /** A new, empty home in {@code home} (mode 0700, as gpg wants). */
  static GnuPg throwaway(Path home) throws IOException {
    Path gpg = ExternalTool.require("gpg", "gpg");
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    return new GnuPg(home, gpg);
  }

  /** Generates a signing key without passphrase for {@code email}. */
  Key generate(String email) throws IOException, InterruptedException {
    gpg("--passphrase", "", "--quick-gen-key", "svirtctl test <" + email + ">", "ed25519", "sign",
        "never");
    return new Key(email, home);
  }

  /** Exports the public key to {@code file} (ASCII armour) and returns that file. */
  Path export(Key key, Path file) throws IOException, InterruptedException {
    gpg("--armor", "--output", file.toString(), "--export", key.email());
    assertThat(Files.readString(file)).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    return file;
  }

  private void gpg(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(gpg.toString(), "--batch", "--yes"));
    cmd.addAll(List.of(args));
    ExternalTool.Run run =
        ExternalTool.run(cmd, home, Map.of("GNUPGHOME", home.toString()), Optional.empty());
    assertThat(run.code()).as(run.both()).isZero();
  }

  /** Stops this home's gpg-agent, if one runs. */
  @Override
  public void close() throws IOException, InterruptedException {
    ExternalTool.run(List.of("gpgconf", "--kill", "gpg-agent"), home,
        Map.of("GNUPGHOME", home.toString()), Optional.empty());
  }
}
