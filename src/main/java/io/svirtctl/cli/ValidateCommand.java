package io.svirtctl.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.svirtctl.state.GuestsSpec;
import io.svirtctl.state.HostState;
import io.svirtctl.render.Listing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code svirtctl validate}: checks a state file without looking at any host. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a state file (YAML) for one host; prints a summary, or every problem.")
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand private SvirtctlCommand root;

  @Mixin private StateFileOptions state;
  @Mixin private FormatOption output;

  @Override
  public Integer call() {
    HostState desired = state.load(root.context());
    GuestsSpec guests = desired.apparmor().guests();
    boolean template = desired.apparmor().template().isPresent();
    String msg = String.format(
        "%s is valid for host %s: %d qemu.conf key(s), template %s, %d guest(s) listed",
        state.displayName(), desired.host(), desired.qemuConf().size(),
        template ? "managed" : "not managed", guests.list().size());
    List<String> warnings = desired.warnings().stream().map(Object::toString).toList();
    List<String> lines = new ArrayList<>(List.of("ok: " + msg));
    warnings.forEach(w -> lines.add("warning: " + w));
    new Listing(lines, new Document(1, desired.host(), false, desired.qemuConf().size(), template,
            guests.list().size(), warnings, msg))
        .print(output.format, root.context().out());
    return ExitCodes.OK;
  }

  /** {@code validate -o json}: what the state file declares, with its warnings. */
  @JsonPropertyOrder({
    "format_version", "host", "changed", "qemu_conf_keys", "template_managed", "guests",
    "warnings", "msg"})
  record Document(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("host") String host,
      @JsonProperty("changed") boolean changed,
      @JsonProperty("qemu_conf_keys") int qemuConfKeys,
      @JsonProperty("template_managed") boolean templateManaged,
      @JsonProperty("guests") int guests,
      @JsonProperty("warnings") List<String> warnings,
      @JsonProperty("msg") String msg) {}
}
