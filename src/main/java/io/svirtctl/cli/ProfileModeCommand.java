package io.svirtctl.cli;

import io.svirtctl.apparmor.Mode;
import io.svirtctl.apply.ModeSwitch;
import io.svirtctl.host.HostLayout;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.svirtctl.render.Listing;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl profile-mode}: an idempotent, all-or-nothing batch aa-complain/aa-enforce. */
@Command(
    name = "profile-mode",
    mixinStandardHelpOptions = true,
    description = {
      "Set guests' profiles (by name or UUID) or profile files to complain or enforce mode.",
      "Every profile, hat and child profile in each file changes, as aa-complain/aa-enforce do,"
          + " only in the header flag lists. A GUEST is a domain name (persistent or running) or a"
          + " UUID and means its libvirt-<uuid> profile; anything with a '/' is a FILE, absolute"
          + " paths taken inside --root. All files are parsed before the first write; a file"
          + " already in that mode is not written. Prints one line per changed file."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      " 0:success, nothing to change (or changes made without --detailed-exitcode)",
      " 1:a write or reload failed",
      " 2:files changed (or would, with --check), only with --detailed-exitcode",
      "64:usage error",
      "65:a GUEST is unknown, or a FILE is missing or is not a profile the tool can read; nothing was written"
    })
final class ProfileModeCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;

  @Mixin private HostOptions host = new HostOptions();
  @Mixin private FormatOption output;

  @Parameters(index = "0", paramLabel = "complain|enforce", description = "The mode to set.")
  private Mode mode;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "GUEST|FILE",
      description = "Guests (domain name or UUID) or profile files.")
  private List<String> targets;

  @Option(names = "--check", description = "Change nothing; list the files that would change.")
  private boolean check;

  @Option(names = "--no-reload", description = "Do not reload changed profiles into the kernel.")
  private boolean noReload;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when files changed (or would).")
  private boolean detailedExitcode;

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = host.layout(context.env());
    List<Path> files = GuestArguments.profiles(targets, layout);
    List<String> changed =
        new ModeSwitch(layout, HostOptions.parser(layout))
            .run(mode, files, check, !noReload && host.reloadAllowed(context.env()));
    String msg = changed.size() + " file(s) " + (check ? "to set to " : "set to ") + mode.label();
    new Listing(changed.stream().map(f -> mode.label() + ": " + f).toList(),
            new Document(1, !changed.isEmpty(), check, mode.label(), changed, msg))
        .print(output.format, context.out());
    return detailedExitcode && !changed.isEmpty() ? ExitCodes.CHANGES : ExitCodes.OK;
  }

  /** {@code profile-mode -o json}: the files that changed (or would, with --check). */
  @JsonPropertyOrder({"format_version", "changed", "check_mode", "mode", "files", "msg"})
  record Document(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("changed") boolean changed,
      @JsonProperty("check_mode") boolean checkMode,
      @JsonProperty("mode") String mode,
      @JsonProperty("files") List<String> files,
      @JsonProperty("msg") String msg) {}
}
