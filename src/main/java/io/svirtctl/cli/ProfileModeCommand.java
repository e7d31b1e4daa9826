package io.svirtctl.cli;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.apparmor.ProfileDocument;
import io.svirtctl.apparmor.ProfileHeader;
import io.svirtctl.host.ApparmorParser;
import io.svirtctl.host.AtomicFileWriter;
import io.svirtctl.host.HostLayout;
import io.svirtctl.host.KernelStatus;
import io.svirtctl.host.RunLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
      "Sets every profile, hat and child profile in each FILE to complain or enforce mode, as",
      "aa-complain/aa-enforce do, changing only the header flag lists. All files are parsed",
      "before the first write; a file already in that mode is not written. Prints one line per",
      "changed file. Absolute FILE paths are taken inside --root."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      " 0:success, nothing to change (or changes made without --detailed-exitcode)",
      " 1:a write or reload failed",
      " 2:files changed (or would, with --check), only with --detailed-exitcode",
      "64:usage error",
      "65:a FILE is missing or is not a profile the tool can read; nothing was written"
    })
final class ProfileModeCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;

  @Mixin private HostOptions host = new HostOptions();

  @Parameters(index = "0", paramLabel = "complain|enforce", description = "The mode to set.")
  private Mode mode;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Profile files.")
  private List<Path> files;

  @Option(names = "--check", description = "Change nothing; list the files that would change.")
  private boolean check;

  @Option(names = "--no-reload", description = "Do not reload changed profiles into the kernel.")
  private boolean noReload;

  @Option(names = "--detailed-exitcode", description = "Exit 2 when files changed (or would).")
  private boolean detailedExitcode;

  /** One file whose text the mode change alters. */
  private record Change(String shown, Path real, Charset charset, ProfileDocument after) {}

  @Override
  public Integer call() {
    CliContext context = root.context();
    HostLayout layout = host.layout(context.env());
    List<Change> changes;
    if (check) {
      changes = plan(layout);
    } else {
      // The same run lock as apply: the two never edit a profile at the same time.
      try (RunLock lock = RunLock.acquire(layout)) {
        changes = plan(layout);
        write(changes);
      }
    }
    for (Change c : changes) {
      context.out().println(mode.label() + ": " + c.shown());
    }
    if (!check && !noReload && !changes.isEmpty()) {
      reloadLoaded(layout, changes);
    }
    return detailedExitcode && !changes.isEmpty() ? ExitCodes.CHANGES : ExitCodes.OK;
  }

  /** Reads and parses every file first, so one bad file means nothing is written. */
  private List<Change> plan(HostLayout layout) {
    List<Diagnostic> problems = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    for (Path given : files) {
      Path real = given.isAbsolute() ? layout.resolve(given) : given;
      String shown = given.toString();
      try {
        if (!Files.isRegularFile(real)) {
          throw new InvalidInputException(SourceLocation.ofFile(shown), "no such profile file");
        }
        byte[] bytes = Files.readAllBytes(real);
        Charset charset = charsetOf(bytes);
        ProfileDocument before = ProfileDocument.parse(shown, new String(bytes, charset));
        ProfileDocument after = before.withMode(mode);
        if (!after.text().equals(before.text())) {
          changes.add(new Change(shown, real, charset, after));
        }
      } catch (InvalidInputException e) {
        problems.addAll(e.diagnostics());
      } catch (IOException e) {
        problems.add(new Diagnostic(SourceLocation.ofFile(shown), "cannot read: " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return changes;
  }

  /** One batch: temp files synced together, one directory sync per directory (many files). */
  private static void write(List<Change> changes) {
    AtomicFileWriter writer = new AtomicFileWriter();
    changes.forEach(c -> writer.checkWritable(c.real()));
    writer.writeAll(
        changes.stream()
            .map(
                c ->
                    new AtomicFileWriter.Replacement(
                        c.real(), c.after().text().getBytes(c.charset())))
            .toList());
  }

  /** apparmor_parser -r only for files with a profile the kernel has loaded. */
  private static void reloadLoaded(HostLayout layout, List<Change> changes) {
    KernelStatus kernel = KernelStatus.read(layout);
    if (!kernel.enabled()) {
      return;
    }
    ApparmorParser parser = HostOptions.parser(layout);
    for (Change c : changes) {
      if (c.after().headers().stream().map(ProfileHeader::path).anyMatch(kernel::isLoaded)) {
        parser.replace(c.real());
      }
    }
  }

  /** UTF-8 when the bytes are valid UTF-8, else Latin-1, which gives every byte back unchanged. */
  private static Charset charsetOf(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return StandardCharsets.UTF_8;
    } catch (CharacterCodingException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }
}
