package io.svirtctl.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The generated schema, and every example state file of the repository checked by loader and schema. */
class StateSchemaTest {

  private static final Path EXAMPLES = Path.of("playbook-examples");

  private static JsonSchema schema() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(StateSchema.json());
  }

  private static Set<ValidationMessage> validate(String yaml) throws IOException {
    return schema().validate(new YAMLMapper().readTree(yaml));
  }

  @Test
  void isDraft202012WithEveryTopLevelKeyAndTheQemuCatalog() throws IOException {
    JsonNode s = new ObjectMapper().readTree(StateSchema.json());
    assertThat(s.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(s.get("properties").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("apiVersion", "kind", "qemu_conf", "apparmor", "policy", "defaults", "groups", "hosts");
    assertThat(s.get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("apiVersion", "kind");
    assertThat(s.at("/$defs/QemuConfSpec/properties/security_driver").isMissingNode()).isFalse();
    assertThat(s.at("/$defs/GuestsFileSpec/properties/list/propertyNames/pattern").isMissingNode()).isFalse();
    assertThat(s.at("/$defs/GuestEntrySpec/properties/rules/items/pattern").isMissingNode()).isFalse();
    assertThat(s.at("/$defs/TemplateFileSpec/properties/flags/items/enum").isMissingNode()).isFalse();
    assertThat(s.at("/$defs/NoSuchSpec").isMissingNode()).as("a wrong pointer is told apart").isTrue();
    assertThat(s.at("/$defs/QemuConfSpec/properties").size()).isGreaterThan(100);
  }

  @Test
  void refusesWhatTheLoaderRefusesForShape() throws IOException {
    String ok = "apiVersion: svirtctl/v1\nkind: Host\n";
    assertThat(validate(ok)).isEmpty();
    assertThat(validate(ok + "qemu_cnf: {}\n")).isNotEmpty();
    assertThat(validate(ok + "qemu_conf: {security_driver: dac}\n")).isNotEmpty();
    assertThat(validate(ok + "qemu_conf: {security_default_confined: 2}\n")).isNotEmpty();
    assertThat(validate(ok + "apparmor: {guests: {list: {web01: {mode: complian}}}}\n")).isNotEmpty();
    assertThat(validate(ok + "apparmor: {reload: sometimes}\n")).isNotEmpty();
    assertThat(validate(ok + "apparmor: {guests: {list: {web01/../db01: {}}}}\n")).isNotEmpty();
    assertThat(validate(ok + "apparmor: {site_rules: ['}']}\n")).isNotEmpty();
    assertThat(validate(ok + "apparmor: {site_rules: ['profile evil {']}\n")).isNotEmpty();
    assertThat(validate(ok + "apparmor: {template: {flags: ['a,b']}}\n")).isNotEmpty();
    assertThat(validate(ok + "apparmor: {template: {flags: [complain, enforce]}}\n")).isNotEmpty();
    assertThat(validate(ok + "qemu_conf: {security_driver: [none, apparmor]}\n")).isNotEmpty();
    assertThat(validate("apiVersion: svirtctl/v2\nkind: Host\n")).isNotEmpty();
    assertThat(validate(ok + "qemu_conf: {security_driver: [selinux, apparmor], clear_emulator_capabilities: null,"
        + " security_default_confined: 1, max_core: unlimited}\n")).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyExampleStateFileValidatesWithLoaderAndSchema() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(EXAMPLES)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(StateSchemaTest::isStateFile)
          .sorted()
          .toList();
    }
    assertThat(files).as("example state files").isNotEmpty();
    return files.stream().map(f -> DynamicTest.dynamicTest(f.toString(), () -> {
      byte[] bytes = Files.readAllBytes(f);
      HostState state = StateLoader.load(f.toString(), bytes, Optional.empty(), "example-host");
      assertThat(state.host()).isNotEmpty();
      assertThat(validate(new String(bytes, StandardCharsets.UTF_8))).isEmpty();
    }));
  }

  private static boolean isStateFile(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8).contains("apiVersion: svirtctl/");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
