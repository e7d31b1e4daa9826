package io.svirtctl.cli;

import io.svirtctl.OperationFailedException;
import io.svirtctl.apply.QemuHook;
import io.svirtctl.host.HostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code svirtctl hook qemu DOMAIN OP SUBOP [EXTRA]}: the libvirt qemu hook entry point. On
 * {@code prepare begin} it restores the guest's profile; every other operation returns at once.
 */
@Command(
    name = "hook",
    mixinStandardHelpOptions = true,
    description = {
      "libvirt qemu hook (installed by apply with apparmor.guests.hook: true).",
      "On 'prepare begin' it reads the domain XML from standard input and makes sure the guest's"
          + " profile exists with its last applied mode and rules. Errors are logged to hook.log"
          + " in the state directory and do not stop the guest from starting, unless the setting"
          + " hook_strict is true. It waits for another run's lock no longer than"
          + " hook_timeout_seconds (default 5) from its start. The installed script passes"
          + " libvirt's arguments after '--': svirtctl hook qemu -- DOMAIN ..."
    })
final class HookCommand implements Callable<Integer> {

  /** Domain XML is small; anything near this is not libvirt's. */
  private static final int XML_LIMIT = 16 * 1024 * 1024;

  @ParentCommand private SvirtctlCommand root;
  @Spec private CommandSpec spec;
  @Mixin private HostOptions hostOptions;

  @Parameters(index = "0", paramLabel = "DRIVER", description = "The hook's driver: qemu.")
  private String driver;

  @Parameters(index = "1", paramLabel = "DOMAIN", description = "The guest's domain name.")
  private String domain;

  @Parameters(index = "2", paramLabel = "OP", description = "libvirt's operation, e.g. prepare.")
  private String operation;

  @Parameters(index = "3", paramLabel = "SUBOP", description = "libvirt's sub-operation, e.g. begin.")
  private String subOperation;

  @Parameters(index = "4", arity = "0..1", paramLabel = "EXTRA", description = "Ignored.")
  private String extra;

  @Override
  public Integer call() {
    if (!"qemu".equals(driver)) {
      throw new ParameterException(spec.commandLine(), "only the qemu hook exists, not " + driver);
    }
    if (!QemuHook.acts(operation, subOperation)) {
      return ExitCodes.OK;
    }
    CliContext context = root.context();
    HostLayout layout;
    boolean strict;
    Instant deadline;
    try {
      layout = hostOptions.layout(context.env());
      strict = hostOptions.hookStrict(context.env());
      deadline = context.started().plus(hostOptions.hookTimeout(context.env()));
    } catch (RuntimeException e) {
      // Broken settings: there is no state directory to log to, so say it where libvirt logs.
      if ("true".equalsIgnoreCase(context.env().get("SVIRTCTL_HOOK_STRICT"))) {
        throw e;
      }
      context.err().println("svirtctl: hook: " + ErrorReporter.oneLine(String.valueOf(e.getMessage())));
      return ExitCodes.OK;
    }
    QemuHook hook = new QemuHook(layout, Clock.systemUTC());
    try {
      hook.prepare(domain, readDomainXml(context), deadline);
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      // Any failure, svirtctl's or not, must not stop a guest from starting unless asked to.
      String message = ErrorReporter.oneLine(String.valueOf(e.getMessage()));
      try {
        hook.logFailure(domain, operation, subOperation, message);
      } catch (OperationFailedException logFailed) {
        context.err().println("svirtctl: hook: " + message + "; and " + logFailed.getMessage());
      }
      if (strict) {
        throw e;
      }
      return ExitCodes.OK;
    }
  }

  private static byte[] readDomainXml(CliContext context) {
    try {
      return context.in().readNBytes(XML_LIMIT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the domain XML from standard input", e);
    }
  }
}
