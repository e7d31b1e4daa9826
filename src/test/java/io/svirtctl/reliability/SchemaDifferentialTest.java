package io.svirtctl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.svirtctl.Diagnostic;
import io.svirtctl.InvalidInputException;
import io.svirtctl.render.StateYaml;
import io.svirtctl.state.HostState;
import io.svirtctl.state.QemuSetting;
import io.svirtctl.state.StateLoader;
import io.svirtctl.state.StateSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schema against the loader on every generated state, valid and hostile: the
 * schema accepts every state the loader accepts, and refuses every state the loader refuses for
 * its shape. Refusals the schema cannot see are set apart: YAML the parser already refuses (an
 * editor says so), and combinations the loader judges on a host's merged state.
 */
class SchemaDifferentialTest {

  private static final long SEED = Long.getLong("svirtctl.test.seed", 20261129L);

  private static final int GENERATED = 1000;

  /** Refusals of the YAML itself, before any shape: the schema never sees such a file as data. */
  private static final List<String> YAML_LEVEL =
      List.of("YAML syntax error", "YAML tags", "YAML aliases", "not valid UTF-8", "duplicate key",
          "nested deeper", "the state file is empty", "one YAML document", "larger than");

  /** Refusals of settings together, judged only on a host's effective state. */
  private static final List<String> COMBINATIONS =
      List.of("refused unless policy.allow_unconfined: true",
          "together with security_require_confined", "'content' manages the whole template");

  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(StateSchema.json());

  enum Verdict { ACCEPTED, SHAPE, COMBINATION, YAML }

  static Verdict loader(byte[] content) {
    try {
      StateLoader.load("state.yaml", content, Optional.of("demo-hv01"), "demo-hv01");
      return Verdict.ACCEPTED;
    } catch (InvalidInputException e) {
      List<String> messages = e.diagnostics().stream().map(Diagnostic::message).toList();
      if (messages.stream().anyMatch(m -> YAML_LEVEL.stream().anyMatch(m::contains))) {
        return Verdict.YAML;
      }
      return messages.stream().allMatch(m -> COMBINATIONS.stream().anyMatch(m::contains))
          ? Verdict.COMBINATION
          : Verdict.SHAPE;
    }
  }

  /** Whether the schema accepts the file; empty when it is no YAML data an editor could check. */
  static Optional<Boolean> schema(byte[] content) {
    JsonNode tree;
    try {
      tree = new YAMLMapper().readTree(content);
    } catch (JacksonException e) {
      return Optional.empty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Optional.of(tree != null && SCHEMA.validate(tree).isEmpty());
  }

  @Test
  void theSchemaAcceptsWhatTheLoaderAcceptsAndRefusesWhatItRefusesForShape() {
    List<HostileStates.Case> cases = new ArrayList<>(HostileStates.validVariants());
    cases.addAll(new HostileStates(SEED).generate(GENERATED));
    int accepted = 0;
    int shape = 0;
    int combination = 0;
    int yaml = 0;
    int schemaAcceptedCombination = 0;
    int schemaRefusedShape = 0;
    List<String> disagreements = new ArrayList<>();
    for (HostileStates.Case c : cases) {
      Verdict verdict = loader(c.content());
      Optional<Boolean> schemaSays = schema(c.content());
      switch (verdict) {
        case ACCEPTED -> {
          accepted++;
          if (!schemaSays.orElse(false)) {
            disagreements.add("loader accepts, schema refuses: " + c.description());
          }
        }
        case SHAPE -> {
          shape++;
          schemaRefusedShape += schemaSays.orElse(false) ? 0 : 1;
          if (schemaSays.orElse(false)) {
            disagreements.add("loader refuses the shape, schema accepts: " + c.description());
          }
        }
        case COMBINATION -> {
          combination++;
          schemaAcceptedCombination += schemaSays.orElse(false) ? 1 : 0;
        }
        case YAML -> yaml++;
        default -> throw new IllegalStateException("unhandled verdict " + verdict);
      }
    }
    System.out.printf(
        "schema/loader differential: %d states (%d valid variants, %d generated, seed %d): loader accepted %d,"
            + " refused %d for shape (schema refused %d), %d for combinations only (schema accepted %d),"
            + " %d at the YAML level; %d disagreements%n",
        cases.size(), HostileStates.validVariants().size(), GENERATED, SEED, accepted, shape,
        schemaRefusedShape, combination, schemaAcceptedCombination, yaml, disagreements.size());
    assertThat(disagreements).isEmpty();
    assertThat(accepted).as("valid states reach the comparison").isGreaterThanOrEqualTo(30);
    assertThat(shape).as("shape refusals reach the comparison").isGreaterThanOrEqualTo(400);
  }

  @Test
  void whatExportWritesIsWhatTheLoaderAndTheSchemaRead() {
    int checked = 0;
    for (HostileStates.Case c : HostileStates.validVariants()) {
      if (loader(c.content()) != Verdict.ACCEPTED) {
        continue;
      }
      HostState state = StateLoader.load("state.yaml", c.content(), Optional.of("demo-hv01"), "demo-hv01");
      String written = StateYaml.write(state);
      byte[] bytes = written.getBytes(StandardCharsets.UTF_8);
      assertThat(schema(bytes)).as(c.description() + "\n" + written).contains(true);
      HostState again = StateLoader.load("exported.yaml", bytes, Optional.of("demo-hv01"), "demo-hv01");
      assertThat(StateYaml.write(again)).as(c.description()).isEqualTo(written);
      assertThat(again.qemuConf()).extracting(QemuSetting::key, QemuSetting::value)
          .as(c.description())
          .containsExactlyElementsOf(state.qemuConf().stream()
              .map(q -> org.assertj.core.groups.Tuple.tuple(q.key(), q.value())).toList());
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(30);
  }
}
