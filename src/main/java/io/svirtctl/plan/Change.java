package io.svirtctl.plan;

import java.nio.file.Path;

/**
 * One typed change of a plan. Every kind says its action, the resource it changes (as output
 * names it) and the file it lands in; renderers and tests handle every permitted kind.
 */
public sealed interface Change
    permits QemuKeyChange,
        TemplateFlagsChange,
        TemplateContentChange,
        GuestModeChange,
        RulesChange,
        GuestProfileCreated,
        GuestProfileRegenerated,
        GuestProfilePruned,
        HookChange {

  Action action();

  /** The resource name, e.g. {@code qemu_conf.security_driver}. */
  String resource();

  /** The file the change lands in, as seen inside the root. */
  Path path();
}
