package io.svirtctl.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.cli.CliRun;
import io.svirtctl.testing.FakeParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 3: a lost edit. Fingerprints were re-checked before the syntax check and the
 * journal's previous bytes came from that earlier read, so an admin's edit made in between was
 * overwritten and was in neither the file nor the journal. Here the edit is made by the
 * apparmor_parser stand-in while apply runs its syntax check (between planning and writing): the
 * write path reads each file again right before staging, sees the edit and stops with nothing
 * written; the next apply journals the edited bytes, so rollback gives the edit back.
 */
class LostEditIT {

  private static final String EDIT = "# an admin edit made while apply was checking profiles\n";

  @TempDir Path tmp;

  /** A parser stand-in that appends {@link #EDIT} to qemu.conf on its first syntax check. */
  private static Map<String, String> editingParser(Path dir, Path qemuConf) throws IOException {
    Map<String, String> real = FakeParser.install(dir.resolve("real"));
    Path once = dir.resolve("edited");
    Path script = dir.resolve("apparmor_parser");
    Files.writeString(script, "#!/bin/sh\n"
        + "if [ ! -e '" + once + "' ]; then : > '" + once + "'; printf '%s\\n' '"
        + EDIT.strip() + "' >> '" + qemuConf + "'; fi\n"
        + "exec '" + real.get("SVIRTCTL_APPARMOR_PARSER") + "' \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return Map.of("SVIRTCTL_APPARMOR_PARSER", script.toString());
  }

  @Test
  void anEditMadeDuringTheRunStopsItAndTheNextRunJournalsTheEdit() throws IOException {
    TrustRoot host = new TrustRoot(tmp);
    Path qemuConf = host.path(TrustRoot.QEMU_CONF);
    Map<String, String> env = editingParser(tmp.resolve("editing"), qemuConf);
    String original = host.read(TrustRoot.QEMU_CONF);
    SortedMap<String, byte[]> before = host.managed();
    String[] apply = {"apply", "-f", host.state.toString(), "--host", "demo-hv01", "--root",
        host.root.toString()};

    CliRun stopped = CliRun.run(env, "", apply);

    assertThat(stopped.exitCode()).as(stopped.err()).isEqualTo(1);
    assertThat(stopped.err().strip()).isEqualTo("svirtctl: /etc/libvirt/qemu.conf changed since"
        + " the plan was made; nothing was written, run again");
    assertThat(host.read(TrustRoot.QEMU_CONF)).isEqualTo(original + EDIT);
    before.put(TrustRoot.QEMU_CONF, (original + EDIT).getBytes());
    TrustRoot.assertSameTree(host.managed(), before);
    assertThat(host.run("history").out()).doesNotContain("apply");

    CliRun again = CliRun.run(env, "", apply);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(host.read(TrustRoot.QEMU_CONF)).contains(EDIT).isNotEqualTo(original + EDIT);

    CliRun rollback = host.run("rollback", "--no-reload");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(host.read(TrustRoot.QEMU_CONF)).isEqualTo(original + EDIT);
    TrustRoot.assertSameTree(host.managed(), before);
  }
}
