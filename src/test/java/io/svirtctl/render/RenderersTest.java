package io.svirtctl.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svirtctl.Uuid;
import io.svirtctl.apparmor.Mode;
import io.svirtctl.host.Fingerprint;
import io.svirtctl.plan.Action;
import io.svirtctl.plan.Change;
import io.svirtctl.plan.FileOperation;
import io.svirtctl.plan.GuestId;
import io.svirtctl.plan.GuestModeChange;
import io.svirtctl.plan.GuestProfileCreated;
import io.svirtctl.plan.GuestProfilePruned;
import io.svirtctl.plan.GuestProfileRegenerated;
import io.svirtctl.plan.HookChange;
import io.svirtctl.plan.Plan;
import io.svirtctl.plan.QemuKeyChange;
import io.svirtctl.plan.RulesChange;
import io.svirtctl.plan.TemplateContentChange;
import io.svirtctl.plan.TemplateFlagsChange;
import io.svirtctl.qemuconf.QemuValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class RenderersTest {

  private static final Path QEMU = Path.of("/etc/libvirt/qemu.conf");
  private static final Path TEMPLATE = Path.of("/etc/apparmor.d/libvirt/TEMPLATE.qemu");
  private static final GuestId WEB =
      new GuestId(Uuid.parse("5b3a1c1e-8a51-4d7c-9a77-0123456789ab").orElseThrow(), Optional.of("web01"));
  private static final Path WEB_PROFILE =
      Path.of("/etc/apparmor.d/libvirt/libvirt-5b3a1c1e-8a51-4d7c-9a77-0123456789ab");

  /** One sample of every kind of change; the test below proves none is missing. */
  static List<Change> samples() {
    return List.of(
        new QemuKeyChange(QEMU, "security_driver", Optional.of(new QemuValue.Str("selinux")),
            Optional.of(new QemuValue.Str("apparmor")), 0),
        new TemplateFlagsChange(TEMPLATE, List.of("attach_disconnected"),
            List.of("attach_disconnected", "mediate_deleted")),
        RulesChange.template(TEMPLATE, List.of(), List.of("/srv/vm-images/** rwk,")),
        new TemplateContentChange(TEMPLATE, true),
        RulesChange.site(Path.of("/etc/apparmor.d/local/abstractions/libvirt-qemu"),
            List.of("/srv/old/** r,"), List.of()),
        new GuestModeChange(WEB, WEB_PROFILE, Mode.ENFORCE, Mode.COMPLAIN),
        RulesChange.guest(WEB, WEB_PROFILE, List.of("/a r,"), List.of("/b r,")),
        new GuestProfileCreated(WEB, WEB_PROFILE, Mode.ENFORCE, List.of("/mnt/x/** rwk,")),
        new GuestProfileRegenerated(WEB, WEB_PROFILE, "profiles: render"),
        new GuestProfilePruned(WEB, WEB_PROFILE,
            Optional.of(Path.of(WEB_PROFILE + ".files"))),
        new HookChange(HookChange.Part.RECORD, Path.of("/var/lib/svirtctl/hook/guests.json"),
            Action.CREATE, 2));
  }

  private static Plan plan(List<Change> changes) {
    FileOperation op =
        new FileOperation(QEMU, Optional.of(Fingerprint.ofText("a = 1\nsecurity_driver = \"selinux\"\n")),
            Optional.of("a = 1\nsecurity_driver = \"selinux\"\n"),
            Optional.of("a = 1\nsecurity_driver = \"apparmor\"\n"), false);
    return new Plan("hv01", changes, changes.isEmpty() ? List.of() : List.of(op), List.of(),
        changes.isEmpty() ? List.of() : List.of("libvirtd"), List.of(), new TreeMap<>());
  }

  @Test
  void samplesCoverEveryPermittedKindOfChange() {
    List<String> permitted =
        Arrays.stream(Change.class.getPermittedSubclasses()).map(Class::getName).sorted().toList();
    List<String> sampled =
        samples().stream().map(c -> c.getClass().getName()).distinct().sorted().toList();
    assertThat(sampled).isEqualTo(permitted);
  }

  @TestFactory
  Stream<DynamicTest> everyKindRendersAsTextAndJson() {
    return samples().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.getClass().getSimpleName(),
                    () -> {
                      String line = TextRenderer.line(c);
                      assertThat(line).startsWith(c.action().symbol() + " " + c.resource());
                      JsonNode json = json(new RunOutcome(plan(List.of(c)), true, List.of(), false));
                      JsonNode entry = json.get("changes").get(0);
                      assertThat(entry.get("action").asText()).isEqualTo(c.action().label());
                      assertThat(entry.get("resource").asText()).isEqualTo(c.resource());
                      assertThat(entry.get("path").asText()).isEqualTo(c.path().toString());
                    }));
  }

  @Test
  void textShowsTheQemuChangeLikeTheIssueAndASummary() {
    String text = text(new RunOutcome(plan(List.of(samples().get(0))), true, List.of(), false));
    assertThat(text)
        .contains("~ qemu_conf.security_driver: \"selinux\" \u2192 \"apparmor\"")
        .contains("restart required: libvirtd")
        .endsWith("Plan for host hv01: 0 to create, 1 to update, 0 to delete.\n");
  }

  @Test
  void textDiffIsUnifiedWithPathHeaders() {
    String text = text(new RunOutcome(plan(List.of(samples().get(0))), false, List.of(), true));
    assertThat(text)
        .contains("--- /etc/libvirt/qemu.conf\n+++ /etc/libvirt/qemu.conf\n")
        .contains("-security_driver = \"selinux\"\n+security_driver = \"apparmor\"\n")
        .endsWith("Applied to host hv01: 0 created, 1 updated, 0 deleted.\n");
  }

  @Test
  void inSyncSaysSo() {
    String text = text(new RunOutcome(plan(List.of()), false, List.of(), true));
    assertThat(text).isEqualTo("No changes: host hv01 is in sync.\n");
  }

  @Test
  void jsonKeysComeInTheDocumentedOrder() throws Exception {
    JsonNode json = json(new RunOutcome(plan(List.of(samples().get(0))), false, List.of("libvirt-x"), false));
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    assertThat(keys)
        .containsExactly("format_version", "host", "changed", "check_mode", "changes", "diff",
            "restart_required", "reloaded", "warnings", "msg");
    assertThat(json.get("changes").get(0).get("before").asText()).isEqualTo("\"selinux\"");
    assertThat(json.get("diff").get(0).get("before_header").asText()).isEqualTo(QEMU.toString());
    assertThat(json.get("msg").asText()).isEqualTo("1 change applied");
    assertThat(json.get("reloaded").get(0).asText()).isEqualTo("libvirt-x");
    Map<String, Object> created =
        new ObjectMapper().convertValue(json(new RunOutcome(plan(List.of(samples().get(7))), true,
            List.of(), false)).get("changes").get(0), Map.class);
    assertThat(created).containsEntry("before", null);
    assertThat(keys.stream().collect(Collectors.joining(","))).doesNotContain("null");
  }

  private static String text(RunOutcome o) {
    StringWriter s = new StringWriter();
    new TextRenderer().render(o, new PrintWriter(s));
    return s.toString();
  }

  private static JsonNode json(RunOutcome o) throws Exception {
    StringWriter s = new StringWriter();
    new JsonRenderer().render(o, new PrintWriter(s));
    return new ObjectMapper().readTree(s.toString());
  }
}
