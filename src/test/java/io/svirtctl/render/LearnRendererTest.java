package io.svirtctl.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.svirtctl.Uuid;
import io.svirtctl.learn.LearnReport;
import io.svirtctl.learn.LearnedGuest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code learn -o json} byte for byte: playbooks parse it, and its shape is documented. */
class LearnRendererTest {

  private static final Uuid WEB01 = new Uuid("5b3a1c1e-8a51-4d7c-9a77-0123456789ab");
  private static final Uuid DB01 = new Uuid("9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb");

  private static String json(LearnReport report) {
    StringWriter s = new StringWriter();
    LearnRenderer.render(report, LearnFormat.JSON, new PrintWriter(s));
    return s.toString();
  }

  @Test
  void jsonIsOneLineInTheDocumentedKeyOrderWithNullForAnUnnamedGuest() {
    LearnReport report = new LearnReport(
        List.of(
            new LearnedGuest(WEB01, Optional.of("web01"), 3,
                List.of("/srv/iso/a.iso r,", "owner /var/lib/libvirt/qemu/d/ w,"), 1,
                List.of("/etc/shadow r,")),
            new LearnedGuest(DB01, Optional.empty(), 1, List.of(), 0, List.of())),
        4, 12, 1, List.of("audit.log:9: no profile"), List.of("/var/log/audit/audit.log", "<stdin>"));

    assertThat(json(report)).isEqualTo("{\"format_version\":1,\"guests\":["
        + "{\"uuid\":\"5b3a1c1e-8a51-4d7c-9a77-0123456789ab\",\"name\":\"web01\",\"events\":3,"
        + "\"rules\":[\"/srv/iso/a.iso r,\",\"owner /var/lib/libvirt/qemu/d/ w,\"]},"
        + "{\"uuid\":\"9d1f4e2a-3c5b-4a6d-8e7f-00112233aabb\",\"name\":null,\"events\":1,"
        + "\"rules\":[]}],"
        + "\"records\":{\"used\":4,\"skipped\":12,\"unparsed\":1},"
        + "\"sources\":[\"/var/log/audit/audit.log\",\"<stdin>\"]}"
        + System.lineSeparator());
  }

  @Test
  void jsonEscapesQuotesBackslashesAndControlCharactersAndKeepsOtherCharacters() {
    LearnReport report = new LearnReport(
        List.of(new LearnedGuest(WEB01, Optional.of("wéb \"01\"\\ 🖥"), 1234567890123L,
            List.of("\"/srv/with space\tand\u0001ctl/é/😀\" r,", "/a/</b> r,"), 0, List.of())),
        1234567890123L, 0, 0, List.of(), List.of("/tmp/log \"quoted\"\\x"));

    assertThat(json(report)).isEqualTo("{\"format_version\":1,\"guests\":["
        + "{\"uuid\":\"5b3a1c1e-8a51-4d7c-9a77-0123456789ab\",\"name\":\"wéb \\\"01\\\"\\\\ 🖥\","
        + "\"events\":1234567890123,"
        + "\"rules\":[\"\\\"/srv/with space\\tand\\u0001ctl/é/😀\\\" r,\",\"/a/</b> r,\"]}],"
        + "\"records\":{\"used\":1234567890123,\"skipped\":0,\"unparsed\":0},"
        + "\"sources\":[\"/tmp/log \\\"quoted\\\"\\\\x\"]}"
        + System.lineSeparator());
  }

  @Test
  void jsonOfNoGuestsHasAnEmptyList() {
    LearnReport report = new LearnReport(List.of(), 0, 2, 0, List.of(), List.of("-"));

    assertThat(json(report)).isEqualTo("{\"format_version\":1,\"guests\":[],"
        + "\"records\":{\"used\":0,\"skipped\":2,\"unparsed\":0},\"sources\":[\"-\"]}"
        + System.lineSeparator());
  }
}
