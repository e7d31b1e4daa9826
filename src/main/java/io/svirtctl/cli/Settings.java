package io.svirtctl.cli;

import io.svirtctl.host.HostLayout;
import java.util.Objects;

/**
 * svirtctl's own settings for one run, read once (docs/settings.md).
 *
 * @param hookStrict {@code hook_strict}: the libvirt hook fails a guest start on an error
 * @param reloadAllowed false when {@code reload = never}: no kernel reloads at all
 */
record Settings(HostLayout layout, boolean hookStrict, boolean reloadAllowed) {

  Settings {
    Objects.requireNonNull(layout, "layout");
  }
}
