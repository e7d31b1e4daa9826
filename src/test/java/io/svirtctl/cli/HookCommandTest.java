package io.svirtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.TestHosts;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import io.svirtctl.apply.Applier;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.RunLock;
import io.svirtctl.host.SnapshotReader;
import io.svirtctl.plan.Plan;
import io.svirtctl.plan.Planner;
import io.svirtctl.state.HostState;
import io.svirtctl.state.StateLoader;
import io.svirtctl.testing.Trees;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply with {@code apparmor.guests.hook: true}, then the hook as libvirt would call it. */
class HookCommandTest {

  private static final String DB01 = "9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb";
  private static final String STATE =
      "apiVersion: svirtctl/v1\n"
          + "kind: Host\n"
          + "apparmor:\n"
          + "  template:\n"
          + "    rules: [\"/srv/vm-images/** rwk,\"]\n"
          + "  guests:\n"
          + "    default_mode: enforce\n"
          + "    hook: %s\n"
          + "    list:\n"
          + "      db01: {mode: complain, rules: [\"/srv/db01/** rw,\"]}\n"
          + "  reload: never\n";

  @TempDir Path dir;
  private Path root;
  private Path profile;

  @BeforeEach
  void demoHost() {
    root = TestHosts.copyDemo(dir);
    profile = root.resolve("etc/apparmor.d/libvirt/libvirt-" + DB01);
  }

  private CliRun apply(boolean hook, String... extra) throws IOException {
    Path state = dir.resolve("state.yaml");
    Files.writeString(state, String.format(STATE, hook));
    String[] base = {"apply", "-f", state.toString(), "--host", "hv", "--root", root.toString(),
        "--apparmor-parser", dir.resolve("no-parser").toString(), "-o", "json"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.run(args);
  }

  private CliRun hook(String domain, String xml, Map<String, String> env, String... op) {
    String[] args = {"hook", "qemu", domain, op[0], op[1], "-", "--root", root.toString()};
    return CliRun.run(env, xml, args);
  }

  private String domainXml(String name) throws IOException {
    return Files.readString(root.resolve("etc/libvirt/qemu/" + name + ".xml"));
  }

  @Test
  void applyInstallsTheExecutableHookAndTheRecordThenIsIdempotent() throws IOException {
    CliRun first = apply(true);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("\"apparmor.guests.hook\"", "\"apparmor.guests.hook.record\"");
    Path script = root.resolve("etc/libvirt/hooks/qemu.d/svirtctl");
    assertThat(Files.readString(script)).contains("exec svirtctl hook qemu -- \"$@\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
        .isEqualTo("rwxr-xr-x");
    String record = Files.readString(root.resolve("var/lib/svirtctl/hook/guests.json"));
    assertThat(record).contains(DB01, "\"complain\"", "/srv/db01/** rw,");

    CliRun second = apply(true);
    assertThat(second.out()).contains("\"changed\":false");
  }

  @Test
  void hookRecreatesADeletedProfileInItsRecordedModeWithItsRules() throws IOException {
    assertThat(apply(true).exitCode()).isZero();
    Files.delete(profile);

    CliRun run = hook("db01", domainXml("db01"), Map.of(), "prepare", "begin");

    assertThat(run.exitCode()).as(run.err()).isZero();
    ProfileDocument doc = ProfileDocument.parse(profile.toString(), Files.readString(profile));
    assertThat(doc.mode()).isEqualTo(Mode.COMPLAIN);
    assertThat(doc.managedRules("libvirt-" + DB01))
        .containsExactly("/srv/vm-images/** rwk,", "/srv/db01/** rw,");
    assertThat(Files.readString(root.resolve("var/lib/svirtctl/hook.log")))
        .contains("db01: recreated from the recorded template libvirt-" + DB01 + " (complain)");
    // svirtctl's own log is private like the rest of the state directory, whatever the umask.
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("var/lib/svirtctl/hook.log"))))
        .isEqualTo("rw-------");
    // The restored profile is what apply wants: a second apply has nothing to do.
    assertThat(apply(true).out()).contains("\"changed\":false");
  }

  @Test
  void hookPutsBackAModeChangedByHand() throws IOException {
    assertThat(apply(true).exitCode()).isZero();
    String applied = Files.readString(profile);
    Files.writeString(profile, applied.replace("complain", "enforce"));

    assertThat(hook("db01", domainXml("db01"), Map.of(), "prepare", "begin").exitCode()).isZero();

    assertThat(Files.readString(profile)).isEqualTo(applied);
  }

  @Test
  void otherOperationsDoNothingAndReadNoInput() throws IOException {
    assertThat(apply(true).exitCode()).isZero();
    Files.delete(profile);

    CliRun run = hook("db01", "", Map.of(), "release", "end");

    assertThat(run.exitCode()).isZero();
    assertThat(profile).doesNotExist();
  }

  @Test
  void anErrorIsLoggedAndDoesNotBlockTheStartUnlessStrict() throws IOException {
    assertThat(apply(true).exitCode()).isZero();

    CliRun lenient = hook("db01", "<domain", Map.of(), "prepare", "begin");
    assertThat(lenient.exitCode()).isZero();
    assertThat(Files.readString(root.resolve("var/lib/svirtctl/hook.log")))
        .contains("db01: error in prepare begin:", "malformed domain XML");

    CliRun strict =
        hook("db01", "<domain", Map.of("SVIRTCTL_HOOK_STRICT", "true"), "prepare", "begin");
    assertThat(strict.exitCode()).isEqualTo(65);
    assertThat(strict.err()).startsWith("svirtctl: ").contains("malformed domain XML");
  }

  @Test
  void hookStrictComesFromTheSettingsFileToo() throws IOException {
    Path settings = root.resolve("etc/svirtctl/svirtctl.properties");
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, "hook_strict = true\n", StandardCharsets.UTF_8);

    CliRun strict = hook("db01", "not xml", Map.of(), "prepare", "begin");

    assertThat(strict.exitCode()).isEqualTo(65);
  }

  @Test
  void brokenSettingsDoNotBlockTheStartEither() throws IOException {
    Path settings = root.resolve("etc/svirtctl/svirtctl.properties");
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, "no_such_setting = 1\n", StandardCharsets.UTF_8);

    CliRun run = hook("db01", domainXml("db01"), Map.of(), "prepare", "begin");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).startsWith("svirtctl: hook: ").contains("unknown setting 'no_such_setting'");
  }

  @Test
  void turningTheHookOffRemovesItsFiles() throws IOException {
    assertThat(apply(true).exitCode()).isZero();

    CliRun off = apply(false);

    assertThat(off.out()).contains("\"action\":\"delete\",\"resource\":\"apparmor.guests.hook\"");
    assertThat(root.resolve("etc/libvirt/hooks/qemu.d/svirtctl")).doesNotExist();
    assertThat(root.resolve("var/lib/svirtctl/hook/guests.json")).doesNotExist();
  }

  @Test
  void withoutARecordTheHookLeavesTheGuestToLibvirt() throws IOException {
    Files.delete(profile);

    CliRun run = hook("db01", domainXml("db01"), Map.of(), "prepare", "begin");

    assertThat(run.exitCode()).isZero();
    assertThat(profile).doesNotExist();
  }

  @Test
  void aRestoreIsAJournaledRunThatRollbackUndoes() throws IOException {
    assertThat(apply(true).exitCode()).isZero();
    String applied = Files.readString(profile);
    String byHand = applied.replace("complain", "enforce");
    Files.writeString(profile, byHand);

    assertThat(hook("db01", domainXml("db01"), Map.of(), "prepare", "begin").exitCode()).isZero();
    assertThat(Files.readString(profile)).isEqualTo(applied);

    CliRun history = CliRun.run("history", "--root", root.toString());
    assertThat(history.out()).contains("hook qemu db01 prepare begin");
    CliRun back = CliRun.run("rollback", "--root", root.toString(), "--no-reload");
    assertThat(back.exitCode()).as(back.err() + back.out()).isZero();
    assertThat(Files.readString(profile)).isEqualTo(byHand);
  }

  @Test
  void aHookWritesThroughTheOneWritePathSoNeverThroughASymlinkedDirectory() throws IOException {
    assertThat(apply(true).exitCode()).isZero();
    Path profiles = root.resolve("etc/apparmor.d/libvirt");
    Path outside = dir.resolve("outside");
    TestHosts.copyTree(profiles, outside);
    Trees.deleteRecursively(profiles);
    Files.createSymbolicLink(profiles, outside);
    Path target = outside.resolve("libvirt-" + DB01);
    Files.delete(target);

    CliRun run = hook("db01", domainXml("db01"), Map.of(), "prepare", "begin");

    assertThat(run.exitCode()).isZero();
    assertThat(target).doesNotExist();
    assertThat(Files.readString(root.resolve("var/lib/svirtctl/hook.log")))
        .contains("db01: error in prepare begin: refusing to write", "is a symlink");
  }

  /**
   * The race of an apply and a guest start: the hook starts while an apply holds the lock (here the
   * test holds it and applies with the same applier), and must then use the record that apply
   * wrote, not the one it would have read before the lock.
   */
  @Test
  void aHookThatWaitedForAnApplyUsesTheRecordThatApplyWrote() throws Exception {
    assertThat(apply(true).exitCode()).isZero();
    assertThat(ProfileDocument.parse(DB01, Files.readString(profile)).mode()).isEqualTo(Mode.COMPLAIN);
    HostLayout layout = TestHosts.layout(root, Duration.ofSeconds(60));
    String xml = domainXml("db01");
    AtomicReference<CliRun> hookRun = new AtomicReference<>();
    Thread hook;
    try (RunLock held = RunLock.acquire(layout)) {
      hook = new Thread(() -> hookRun.set(hook("db01", xml, Map.of(), "prepare", "begin")));
      hook.start();
      awaitWaitingForTheLock(hook);
      // What apply does under its lock: the guest becomes enforce, in its profile and the record.
      HostState enforce =
          StateLoader.load("state.yaml",
              String.format(STATE, true).replace("mode: complain", "mode: enforce")
                  .getBytes(StandardCharsets.UTF_8),
              Optional.of("hv"), "hv");
      Plan plan = Planner.plan(enforce, SnapshotReader.read(layout), KernelStatus.read(layout));
      new Applier(layout, new ApparmorParser(dir.resolve("no-parser"), Duration.ofSeconds(60)),
          Clock.systemUTC()).apply(plan, "apply", false);
    }
    hook.join();

    assertThat(hookRun.get().exitCode()).as(hookRun.get().err()).isZero();
    assertThat(ProfileDocument.parse(DB01, Files.readString(profile)).mode()).isEqualTo(Mode.ENFORCE);
    assertThat(Files.readString(root.resolve("var/lib/svirtctl/hook/guests.json")))
        .contains("\"enforce\"").doesNotContain("\"complain\"");
    assertThat(Files.readString(root.resolve("var/lib/svirtctl/hook.log")))
        .contains("db01: libvirt-" + DB01 + " already as applied (enforce)");
  }

  /** Waits until the thread sleeps in the run lock's polling loop (it then has read nothing). */
  private static void awaitWaitingForTheLock(Thread thread) throws InterruptedException {
    while (!(thread.getState() == Thread.State.TIMED_WAITING
        && Arrays.stream(thread.getStackTrace())
            .anyMatch(f -> f.getClassName().equals(RunLock.class.getName())))) {
      assertThat(thread.isAlive()).as("the hook ended without waiting for the lock").isTrue();
      Thread.sleep(10);
    }
  }

  @Test
  void aLockHeldByAnotherProcessMakesTheHookGiveUpAtItsBudget() throws Exception {
    assertThat(apply(true).exitCode()).isZero();
    Files.delete(profile);
    Path log = root.resolve("var/lib/svirtctl/hook.log");
    long linesBefore = Files.exists(log) ? Files.readAllLines(log).size() : 0;
    Process holder = holdLock(root.resolve("var/lib/svirtctl/lock"));
    try {
      // The lock timeout of other commands is long; the hook's budget is what ends its wait.
      Map<String, String> env =
          Map.of("SVIRTCTL_HOOK_TIMEOUT_SECONDS", "1", "SVIRTCTL_LOCK_TIMEOUT_SECONDS", "3600");
      CliRun run = hook("db01", domainXml("db01"), env, "prepare", "begin");

      assertThat(run.exitCode()).as(run.err()).isZero();
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).hasSize((int) linesBefore + 1);
      assertThat(lines.get(lines.size() - 1))
          .contains("db01: error in prepare begin: gave up at the end of its time budget",
              "another svirtctl run holds");
      assertThat(profile).doesNotExist();

      Map<String, String> strictEnv = new HashMap<>(env);
      strictEnv.put("SVIRTCTL_HOOK_STRICT", "true");
      CliRun strict = hook("db01", domainXml("db01"), strictEnv, "prepare", "begin");
      assertThat(strict.exitCode()).isEqualTo(1);
      assertThat(strict.err()).startsWith("svirtctl: ").contains("time budget");
    } finally {
      holder.destroy();
      holder.waitFor();
    }
  }

  /** Another process that takes the run lock (a POSIX record lock, as svirtctl's) and keeps it. */
  private static Process holdLock(Path lockFile) throws IOException {
    Process p =
        new ProcessBuilder(
                "python3", "-c",
                "import fcntl, sys, time\n"
                    + "f = open(sys.argv[1], 'a')\n"
                    + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                    + "print('locked', flush=True)\n"
                    + "time.sleep(3600)\n",
                lockFile.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String first =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(first).as("the lock holder took the lock").isEqualTo("locked");
    return p;
  }

  @Test
  void onlyTheQemuDriverIsAUsageError() {
    assertThat(CliRun.run("hook", "lxc", "ct", "prepare", "begin").exitCode()).isEqualTo(64);
  }
}
