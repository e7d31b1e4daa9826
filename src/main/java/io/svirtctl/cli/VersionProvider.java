package io.svirtctl.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest ({@code Implementation-Version}), or "dev" in a build tree. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"svirtctl " + (v == null ? "dev" : v)};
  }
}
