package io.svirtctl.plan;

import java.nio.file.Path;
import java.util.Objects;

/** A profile to replace in the kernel ({@code apparmor_parser -r}) once its file is written. */
public record ProfileReload(String profileName, Path path) {

  public ProfileReload {
    Objects.requireNonNull(profileName, "profileName");
    Objects.requireNonNull(path, "path");
  }
}
