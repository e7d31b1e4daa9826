package io.svirtctl.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A copy of the demo host under a test's directory, with the parser stand-in that compiles with
 * the real apparmor_parser and records kernel loads.
 *
 * @param root the host's root
 * @param env the environment selecting the parser stand-in
 * @param parserDir where the stand-in records kernel loads ({@link FakeParser#log})
 */
public record DemoHost(Path root, Map<String, String> env, Path parserDir) {

  /** Copies the demo host to {@code dir/root} and installs the stand-in in {@code dir/parser}. */
  public static DemoHost in(Path dir) throws IOException {
    Path root = dir.resolve("root");
    Trees.copy(Trees.DEMO, root);
    Path parser = dir.resolve("parser");
    return new DemoHost(root, FakeParser.install(parser), parser);
  }
}
