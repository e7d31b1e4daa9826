package io.svirtctl.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A troff man page of one command, written from picocli's model of it, so the page says exactly
 * what {@code --help} says. Deterministic: no dates, the version is given.
 */
final class ManPage {

  private final CommandSpec spec;
  private final String version;

  ManPage(CommandSpec spec, String version) {
    this.spec = spec;
    this.version = version;
  }

  /** The page's file name stem: {@code svirtctl} or {@code svirtctl-apply}. */
  String name() {
    return spec.qualifiedName("-");
  }

  String render() {
    StringBuilder out = new StringBuilder();
    out.append(".TH \"").append(name().toUpperCase(Locale.ROOT)).append("\" 1 \"\" \"svirtctl ")
        .append(escape(version)).append("\" \"svirtctl Manual\"\n");
    out.append(".SH NAME\n").append(name().replace("-", "\\-")).append(" \\- ")
        .append(escape(firstSentence(spec.usageMessage().description()))).append('\n');
    out.append(".SH SYNOPSIS\n.nf\n")
        .append(escape(new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(
            CommandLine.Help.Ansi.OFF)).synopsis(0).strip()))
        .append("\n.fi\n");
    out.append(".SH DESCRIPTION\n");
    for (String line : spec.usageMessage().description()) {
      out.append(escape(line.replace("%n", ""))).append('\n');
    }
    List<PositionalParamSpec> positionals = spec.positionalParameters();
    if (!positionals.isEmpty()) {
      out.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : positionals) {
        out.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n");
        describe(p, out);
      }
    }
    List<OptionSpec> options = spec.options();
    if (!options.isEmpty()) {
      out.append(".SH OPTIONS\n");
      for (OptionSpec o : options) {
        if (o.hidden()) {
          continue;
        }
        out.append(".TP\n");
        String names =
            String.join(", ", List.of(o.names()).stream()
                .map(n -> "\\fB" + n.replace("-", "\\-") + "\\fR").toList());
        out.append(names);
        if (o.typedValues().isEmpty() && !o.usageHelp() && !o.versionHelp() && o.arity().max() > 0) {
          out.append("=\\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        out.append('\n');
        describe(o, out);
      }
    }
    Map<String, CommandLine> subcommands = spec.subcommands();
    if (!subcommands.isEmpty()) {
      out.append(".SH COMMANDS\n");
      for (Map.Entry<String, CommandLine> e : subcommands.entrySet()) {
        CommandSpec sub = e.getValue().getCommandSpec();
        out.append(".TP\n\\fB").append(escape(e.getKey())).append("\\fR\n")
            .append(escape(firstSentence(sub.usageMessage().description())))
            .append("\nSee \\fB").append(sub.qualifiedName("-").replace("-", "\\-"))
            .append("\\fR(1).\n");
      }
    }
    // Every command exits with the codes the top command lists.
    Map<String, String> exitCodes = spec.root().usageMessage().exitCodeList();
    if (!exitCodes.isEmpty()) {
      out.append(".SH EXIT STATUS\n");
      for (Map.Entry<String, String> e : exitCodes.entrySet()) {
        out.append(".TP\n\\fB").append(escape(e.getKey().strip())).append("\\fR\n")
            .append(escape(e.getValue())).append('\n');
      }
    }
    environment(out);
    files(out);
    if (spec.parent() != null) {
      out.append(".SH SEE ALSO\n\\fBsvirtctl\\fR(1)\n");
    }
    return out.toString();
  }

  private static void describe(ArgSpec arg, StringBuilder out) {
    for (String line : arg.description()) {
      out.append(escape(line)).append('\n');
    }
  }

  private static void environment(StringBuilder out) {
    out.append(".SH ENVIRONMENT\n")
        .append(".TP\n\\fB").append(escape(SettingsLoader.configEnvironmentName())).append("\\fR\n")
        .append("Another settings file instead of \\fI")
        .append(escape(SettingsLoader.CONFIG_FILE)).append("\\fR.\n");
    for (Map.Entry<String, String> e : SettingsLoader.defaults().entrySet()) {
      out.append(".TP\n\\fB").append(escape(SettingsLoader.environmentName(e.getKey())))
          .append("\\fR\nThe setting \\fB").append(escape(e.getKey()))
          .append("\\fR (default: ").append(escape(e.getValue())).append("), over the settings file.\n");
    }
    out.append(".TP\n\\fBJAVA_HOME\\fR, \\fBJAVA\\fR\n")
        .append("The Java runtime the launcher starts (default: \\fBjava\\fR on the path).\n")
        .append(".TP\n\\fBSVIRTCTL_JAR\\fR\nThe jar the launcher runs instead of the installed one.\n");
  }

  private static void files(StringBuilder out) {
    out.append(".SH FILES\n.TP\n\\fI").append(escape(SettingsLoader.CONFIG_FILE))
        .append("\\fR\nsvirtctl's own settings (read under \\fB\\-\\-root\\fR).\n");
    SortedMap<String, String> defaults = SettingsLoader.defaults();
    for (String key : List.of(SettingsLoader.QEMU_CONF, SettingsLoader.APPARMOR_DIR,
        SettingsLoader.LIBVIRT_DIR, SettingsLoader.STATE_DIR)) {
      out.append(".TP\n\\fI").append(escape(defaults.get(key)))
          .append("\\fR\nThe default of the setting \\fB").append(escape(key)).append("\\fR.\n");
    }
  }

  /** The description's first sentence, whole, for the NAME line. */
  private static String firstSentence(String[] description) {
    String text = String.join(" ", description).replace("%n", " ").replaceAll("\\s+", " ").strip();
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  /** Escapes backslashes, and control characters troff would see at a line start. */
  static String escape(String text) {
    String s = text.replace("\\", "\\e");
    StringBuilder out = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      if (line.startsWith(".") || line.startsWith("'")) {
        out.append("\\&");
      }
      out.append(line);
    }
    return out.toString();
  }
}
