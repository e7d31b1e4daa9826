package io.svirtctl.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.SourceLocation;
import io.svirtctl.TestHosts;
import io.svirtctl.Uuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainXmlReaderTest {

  private static final String SECRET = "s3cret-token-that-must-not-leak";

  @TempDir Path tmp;
  private Path root;
  private Path qemuDir;
  private HostLayout layout;

  @BeforeEach
  void setUp() throws IOException {
    root = tmp.resolve("root");
    qemuDir = Files.createDirectories(root.resolve("etc/libvirt/qemu"));
    layout = TestHosts.layout(root);
  }

  @Test
  void demoHostDefinesThreeGuestsSortedByUuid() {
    Path demo = TestHosts.copyDemo(tmp.resolve("demo"));
    List<DomainDefinition> domains = SnapshotReader.domains(TestHosts.layout(demo));
    assertThat(domains).extracting(d -> d.uuid().value()).isSorted().hasSize(3);
    assertThat(domains)
        .contains(
            new DomainDefinition(
                "web01",
                new Uuid("5b3a1c1e-8a51-4d7c-9a77-0123456789ab"),
                Path.of("/etc/libvirt/qemu/web01.xml")));
    assertThat(domains)
        .extracting(DomainDefinition::name)
        .containsExactlyInAnyOrder("web01", "db01", "build01");
  }

  @Test
  void missingDirectoryMeansNoGuests() throws IOException {
    Files.delete(qemuDir);
    assertThat(SnapshotReader.domains(layout)).isEmpty();
  }

  @Test
  void subdirectoriesAndOtherFilesAreNotRead() throws IOException {
    write("vm1.xml", domain("vm1", "11111111-2222-4333-8444-555555555555"));
    Path autostart = Files.createDirectories(qemuDir.resolve("autostart"));
    Files.writeString(
        autostart.resolve("vm1.xml"), domain("vm1", "11111111-2222-4333-8444-555555555555"));
    Files.createDirectories(qemuDir.resolve("networks"));
    Files.writeString(qemuDir.resolve("notes.txt"), "not xml at all <");
    Files.writeString(qemuDir.resolve("vm1.xml.bak"), "<domain>");

    assertThat(SnapshotReader.domains(layout)).extracting(DomainDefinition::name).containsExactly("vm1");
  }

  @Test
  void uuidIsCanonicalisedLikeLibvirtParsesIt() throws IOException {
    write("a.xml", domain("a", " 11111111222243338444555555555555 "));
    write("b.xml", domain("b", "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"));
    assertThat(SnapshotReader.domains(layout))
        .extracting(d -> d.uuid().value())
        .containsExactly(
            "11111111-2222-4333-8444-555555555555", "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  }

  @Test
  void namespacedMetadataDoesNotConfuseNameAndUuid() throws IOException {
    write(
        "x.xml",
        "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
            + "  <metadata><app:name xmlns:app='urn:example'>other</app:name></metadata>\n"
            + "  <name>x</name>\n  <uuid>11111111-2222-4333-8444-555555555555</uuid>\n"
            + "  <devices><disk><name>not-this</name></disk></devices>\n"
            + "  <qemu:commandline/>\n</domain>\n");
    assertThat(SnapshotReader.domains(layout)).extracting(DomainDefinition::name).containsExactly("x");
  }

  @Test
  void externalEntityIsNeverResolved() throws IOException {
    Path secret = tmp.resolve("secret.txt");
    Files.writeString(secret, SECRET);
    Path real =
        write(
            "evil.xml",
            "<?xml version='1.0'?>\n"
                + "<!DOCTYPE domain [ <!ENTITY leak SYSTEM '"
                + secret.toUri()
                + "'> ]>\n"
                + "<domain><name>&leak;</name><uuid>11111111-2222-4333-8444-555555555555</uuid></domain>\n");

    assertThatThrownBy(() -> SnapshotReader.domains(layout))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              Diagnostic d = e.diagnostics().get(0);
              assertThat(d.location().file()).isEqualTo(real.toString());
              assertThat(d.location().line()).isEqualTo(2);
              assertThat(d.message())
                  .isEqualTo(
                      "a DOCTYPE is not allowed in domain XML"
                          + " (svirtctl never loads DTDs or entities)");
              assertThat(e.getMessage()).doesNotContain(SECRET);
            });
  }

  @Test
  void parameterEntityToAnExternalDtdIsNeverFetched() throws IOException {
    Path dtd = tmp.resolve("evil.dtd");
    Path marker = tmp.resolve("fetched");
    Files.writeString(dtd, "<!ENTITY % x SYSTEM '" + marker.toUri() + "'>%x;");
    write(
        "evil.xml",
        "<!DOCTYPE domain SYSTEM '"
            + dtd.toUri()
            + "'>\n"
            + "<domain><name>a</name><uuid>11111111-2222-4333-8444-555555555555</uuid></domain>\n");
    assertThatThrownBy(() -> SnapshotReader.domains(layout)).isInstanceOf(InvalidInputException.class);
    assertThat(marker).doesNotExist();
  }

  @Test
  void xincludeIsNotProcessed() throws IOException {
    Path secret = tmp.resolve("secret.txt");
    Files.writeString(secret, SECRET);
    Path real =
        write(
            "inc.xml",
            "<domain xmlns:xi='http://www.w3.org/2001/XInclude'>\n"
                + "  <name><xi:include href='"
                + secret.toUri()
                + "' parse='text'/></name>\n"
                + "  <uuid>11111111-2222-4333-8444-555555555555</uuid>\n</domain>\n");
    assertThatThrownBy(() -> SnapshotReader.domains(layout))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(real + ":2:")
        .hasMessageContaining("<name> must hold text only")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void malformedXmlNamesFileLineAndColumn() throws IOException {
    Path real = write("bad.xml", "<domain>\n  <name>a</name>\n  <uuid>x</uid>\n</domain>\n");
    assertThatThrownBy(() -> SnapshotReader.domains(layout))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              SourceLocation at = e.diagnostics().get(0).location();
              assertThat(at.file()).isEqualTo(real.toString());
              assertThat(at.line()).isEqualTo(3);
              assertThat(at.column()).isPositive();
            });
  }

  @Test
  void missingNameOrUuidAndBadUuidAreReportedForEveryFile() throws IOException {
    Path noName =
        write(
            "a.xml", "<domain>\n  <uuid>11111111-2222-4333-8444-555555555555</uuid>\n</domain>\n");
    Path noUuid = write("b.xml", "<domain>\n  <name>b</name>\n</domain>\n");
    Path badUuid =
        write("c.xml", "<domain>\n  <name>c</name>\n  <uuid>not-a-uuid</uuid>\n</domain>\n");
    Path notDomain = write("d.xml", "<network><name>d</name></network>\n");

    assertThatThrownBy(() -> SnapshotReader.domains(layout))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.diagnostics())
                    .extracting(Diagnostic::toString)
                    .containsExactly(
                        noName + ":1:9: <domain> has no <name>",
                        noUuid + ":1:9: <domain> has no <uuid>",
                        badUuid + ":3:9: not a UUID: 'not-a-uuid'",
                        notDomain + ":1:10: expected a <domain> element, found <network>"));
  }

  @Test
  void sameUuidInTwoFilesIsAnError() throws IOException {
    Path first = write("a.xml", domain("a", "11111111-2222-4333-8444-555555555555"));
    Path second = write("b.xml", domain("b", "11111111-2222-4333-8444-555555555555"));
    assertThatThrownBy(() -> SnapshotReader.domains(layout))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            second
                + ": domain uuid 11111111-2222-4333-8444-555555555555 is also defined by "
                + first);
  }

  @Test
  void sameNameInTwoFilesIsAnError() throws IOException {
    Path first = write("a.xml", domain("twin", "11111111-2222-4333-8444-555555555555"));
    Path second = write("b.xml", domain("twin", "21111111-2222-4333-8444-555555555555"));
    assertThatThrownBy(() -> SnapshotReader.domains(layout))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(second + ": domain name 'twin' is also defined by " + first);
  }

  @Test
  void parseAcceptsADocumentFromAHook() {
    DomainDefinition d =
        DomainXmlReader.parse(
            domain("hooked", "11111111-2222-4333-8444-555555555555")
                .getBytes(StandardCharsets.UTF_8),
            Path.of("/dev/stdin"),
            "<stdin>");
    assertThat(d.name()).isEqualTo("hooked");
    assertThat(d.uuid()).isEqualTo(new Uuid("11111111-2222-4333-8444-555555555555"));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(qemuDir.resolve(name), text);
  }

  private static String domain(String name, String uuid) {
    return "<domain type='kvm'>\n  <name>"
        + name
        + "</name>\n  <uuid>"
        + uuid
        + "</uuid>\n</domain>\n";
  }
}
