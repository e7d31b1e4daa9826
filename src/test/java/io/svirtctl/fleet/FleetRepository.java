package io.svirtctl.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A fleet state repository for the pull tests: a local bare repository ({@link #url}) and a work
 * tree ({@link #work}) whose commits, unsigned or signed, are pushed to it. It starts with the
 * lab's {@code playbook-examples/fleet/fleet.yaml}, committed unsigned.
 */
final class FleetRepository {

  private final Path dir;
  private final Path git;
  private final Path bare;
  private final Path work;

  private FleetRepository(Path dir, Path git) {
    this.dir = dir;
    this.git = git;
    this.bare = dir.resolve("fleet.git");
    this.work = dir.resolve("work");
  }

  /** Makes the repositories below {@code dir} and commits the lab's fleet file. */
  static FleetRepository create(Path dir) throws IOException, InterruptedException {
    FleetRepository r = new FleetRepository(dir, ExternalTool.require("git", "git"));
    r.git("init", "--quiet", "--bare", "-b", "main", r.bare.toString());
    r.git("init", "--quiet", "-b", "main", r.work.toString());
    Files.copy(
        ExternalTool.basedir().resolve("playbook-examples/fleet/fleet.yaml"),
        r.work.resolve("fleet.yaml"));
    r.commit(Optional.empty(), "lab fleet");
    return r;
  }

  /** The bare repository's location, as a clone URL. */
  String url() {
    return bare.toString();
  }

  /** The work tree: change files here, then {@link #commit}. */
  Path work() {
    return work;
  }

  /** Runs git (with {@code HOME} in the test directory) and returns its trimmed output. */
  String git(String... args) throws IOException, InterruptedException {
    return git(Map.of(), args);
  }

  private String git(Map<String, String> extraEnv, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(git.toString()));
    cmd.addAll(List.of(args));
    Map<String, String> env = new TreeMap<>(extraEnv);
    env.put("HOME", dir.toString());
    ExternalTool.Run r = ExternalTool.run(cmd, dir, env, Optional.empty());
    assertThat(r.code()).as(r.both()).isZero();
    return r.out().strip();
  }

  /** Commits the work tree (signed by {@code signer} when given) and pushes it; its id. */
  String commit(Optional<GnuPg.Key> signer, String message)
      throws IOException, InterruptedException {
    String w = work.toString();
    git("-C", w, "add", "-A");
    List<String> args = new ArrayList<>(List.of("-C", w, "-c", "user.name=svirtctl test",
        "-c", "user.email=test@localhost"));
    signer.ifPresent(k -> args.addAll(List.of("-c", "user.signingkey=" + k.email())));
    args.addAll(List.of("commit", "--quiet", "--allow-empty", "-m", message));
    signer.ifPresent(k -> args.add("-S"));
    git(signer.map(GnuPg.Key::env).orElse(Map.of()), args.toArray(String[]::new));
    git("-C", w, "push", "--quiet", bare.toString(), "main");
    return head();
  }

  /** The work tree's newest commit. */
  String head() throws IOException, InterruptedException {
    return git("-C", work.toString(), "rev-parse", "HEAD");
  }
}
