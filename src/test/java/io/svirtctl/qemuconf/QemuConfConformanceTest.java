package io.svirtctl.qemuconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.svirtctl.Diagnostic;
import io.svirtctl.Fixtures;
import io.svirtctl.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our parser and typed validation against libvirt 9.0's recorded behaviour on every case of
 * {@code virconf-edge/expected.tsv}.
 *
 * <p>Column 2 (virConfReadFile) must agree on every case: accept/reject, message and line.
 * Column 3 (the QEMU driver's load) must agree wherever the outcome does not depend on the
 * recording host or on a later stage; those cases are counted apart, never silently dropped:
 *
 * <ul>
 *   <li>host-dependent: user/group lookups in the host's passwd/group ("Failed to parse user …")
 *       and namespaces refused because the recording ran unprivileged;
 *   <li>deliberate differences: security driver names outside selinux/apparmor/none (such as
 *       "bogus" or "") load fine in libvirt and only fail at security-driver init when libvirtd
 *       starts; svirtctl reports them up front ("Security driver X not found"), because a
 *       file that stops libvirtd is worse than a refused plan.
 * </ul>
 *
 * The test names carry the figures ("column 2: 53/53 agree", …).
 */
class QemuConfConformanceTest {

  private static final Pattern SYNTAX =
      Pattern.compile("configuration file syntax error: <file>:(\\d+): (.*)");
  private static final Pattern DRIVER_PREFIX =
      Pattern.compile(
          "^(configuration file syntax error|internal error|invalid argument"
              + "|unsupported configuration): (<file>: )?");
  private static final Pattern HOST_DEPENDENT =
      Pattern.compile("Failed to parse (user|group) .*|cannot use namespaces in session mode");

  /** One row of expected.tsv with our verdicts. */
  private record Row(String name, String parseExpected, String driverExpected, Outcome ours) {}

  /** What we say about a case: a parse error (message, line) or the validation messages. */
  private record Outcome(Optional<String> parseError, Optional<Integer> line, List<String> valid) {}

  @TestFactory
  Stream<DynamicTest> virconfEdgeCasesAgreeWithLibvirt() throws IOException {
    Path dir = Fixtures.path("libvirt/virconf-edge");
    List<String> lines = Files.readAllLines(dir.resolve("expected.tsv"));
    List<Row> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      if (l.isBlank()) {
        continue;
      }
      String[] cols = l.split("\t", -1);
      Path conf = dir.resolve("cases").resolve(cols[0] + ".conf");
      rows.add(new Row(cols[0], cols[1], cols[2], outcome(conf)));
    }
    assertThat(rows).hasSizeGreaterThanOrEqualTo(50);

    List<DynamicTest> tests = new ArrayList<>();
    int parseAgree = 0;
    int driverCompared = 0;
    int driverAgree = 0;
    int hostDependent = 0;
    int deliberate = 0;
    for (Row r : rows) {
      boolean parseOk = parseAgrees(r);
      parseAgree += parseOk ? 1 : 0;
      tests.add(dynamicTest(r.name() + ": virConfReadFile", () -> assertParseAgrees(r)));

      String driver = normalise(r.driverExpected());
      if (HOST_DEPENDENT.matcher(driver).matches()) {
        hostDependent++;
        continue;
      }
      if (isDeliberateDifference(r)) {
        deliberate++;
        tests.add(
            dynamicTest(
                r.name() + ": QEMU driver (deliberate difference: driver name checked up front)",
                () ->
                    assertThat(r.ours().valid())
                        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .startsWith("Security driver ")
                        .endsWith(" not found")));
        continue;
      }
      driverCompared++;
      driverAgree += driverAgrees(r) ? 1 : 0;
      tests.add(dynamicTest(r.name() + ": QEMU driver", () -> assertDriverAgrees(r)));
    }
    String summary =
        String.format(
            "column 2 (virConfReadFile): %d/%d agree; column 3 (QEMU driver): %d/%d agree,"
                + " %d host-dependent not compared, %d deliberate differences",
            parseAgree, rows.size(), driverAgree, driverCompared, hostDependent, deliberate);
    int total = rows.size();
    int pa = parseAgree;
    int da = driverAgree;
    int dc = driverCompared;
    int dd = deliberate;
    tests.add(
        dynamicTest(
            "summary: " + summary,
            () -> {
              System.out.println("qemuconf conformance: " + summary);
              assertThat(pa).isEqualTo(total);
              assertThat(da).isEqualTo(dc);
              // Exactly the two documented cases ("" and "bogus") differ on purpose.
              assertThat(dd).isEqualTo(2);
            }));
    return tests.stream();
  }

  private static Outcome outcome(Path conf) throws IOException {
    String text = Files.readString(conf);
    try {
      QemuConfDocument doc = QemuConfDocument.parse("<file>", text);
      return new Outcome(
          Optional.empty(),
          Optional.empty(),
          doc.validate().stream().map(Diagnostic::message).toList());
    } catch (InvalidInputException e) {
      Diagnostic d = e.diagnostics().get(0);
      assertThat(d.location().file()).isEqualTo("<file>");
      assertThat(d.location().column()).isPositive();
      return new Outcome(Optional.of(d.message()), Optional.of(d.location().line()), List.of());
    }
  }

  private static boolean parseAgrees(Row r) {
    if (r.parseExpected().equals("ok")) {
      return r.ours().parseError().isEmpty();
    }
    Matcher m = SYNTAX.matcher(r.parseExpected());
    return m.matches()
        && r.ours().parseError().equals(Optional.of(m.group(2)))
        && r.ours().line().equals(Optional.of(Integer.parseInt(m.group(1))));
  }

  private static void assertParseAgrees(Row r) {
    if (r.parseExpected().equals("ok")) {
      assertThat(r.ours().parseError()).as("libvirt accepts %s", r.name()).isEmpty();
      return;
    }
    Matcher m = SYNTAX.matcher(r.parseExpected());
    assertThat(m.matches()).as("recorded form: %s", r.parseExpected()).isTrue();
    assertThat(r.ours().parseError()).contains(m.group(2));
    assertThat(r.ours().line()).contains(Integer.parseInt(m.group(1)));
  }

  private static boolean driverAgrees(Row r) {
    return ourDriverVerdict(r).equals(libvirtDriverVerdict(r));
  }

  private static void assertDriverAgrees(Row r) {
    assertThat(ourDriverVerdict(r)).isEqualTo(libvirtDriverVerdict(r));
  }

  /** "OK", or the first problem as libvirt would stop at it, without class or file prefixes. */
  private static String ourDriverVerdict(Row r) {
    if (r.ours().parseError().isPresent()) {
      return "line " + r.ours().line().orElseThrow() + ": " + r.ours().parseError().get();
    }
    return r.ours().valid().isEmpty() ? "OK" : String.join(" | ", r.ours().valid());
  }

  private static String libvirtDriverVerdict(Row r) {
    Matcher m = SYNTAX.matcher(r.driverExpected());
    if (m.matches()) {
      return "line " + m.group(1) + ": " + m.group(2);
    }
    return normalise(r.driverExpected());
  }

  private static String normalise(String driverColumn) {
    return DRIVER_PREFIX.matcher(driverColumn).replaceFirst("");
  }

  /**
   * libvirt loads the file but would fail at security-driver init: a driver name outside the
   * catalog's list (checked by libvirt later, by svirtctl now).
   */
  private static boolean isDeliberateDifference(Row r) {
    if (!r.driverExpected().equals("OK") || r.ours().parseError().isPresent()) {
      return false;
    }
    Path conf = Fixtures.path("libvirt/virconf-edge/cases/" + r.name() + ".conf");
    QemuConfDocument doc;
    try {
      doc = QemuConfDocument.parse("<file>", Files.readString(conf));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<String> allowed =
        KeyCatalog.libvirt().find("security_driver").orElseThrow().allowed();
    return doc.get("security_driver")
        .map(
            v ->
                v instanceof QemuValue.Str s
                    ? !allowed.contains(s.value())
                    : v instanceof QemuValue.Lst l
                        && l.items().stream()
                            .anyMatch(
                                i -> i instanceof QemuValue.Str s && !allowed.contains(s.value())))
        .orElse(false);
  }
}
