package io.svirtctl.cli;

import io.svirtctl.host.HostLayout;
import java.time.Duration;
import java.util.Objects;

/**
 * svirtctl's own settings for one run, read once (docs/settings.md).
 *
 * @param hookStrict {@code hook_strict}: the libvirt hook fails a guest start on an error
 * @param hookTimeout {@code hook_timeout_seconds}: the libvirt hook's time budget, from its start
 * @param reloadAllowed false when {@code reload = never}: no kernel reloads at all
 */
record Settings(HostLayout layout, boolean hookStrict, Duration hookTimeout, boolean reloadAllowed) {

  Settings {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(hookTimeout, "hookTimeout");
  }
}
