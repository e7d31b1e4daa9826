package io.svirtctl.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.svirtctl.state.HostState;
import io.svirtctl.state.SpecWriter;
import java.io.UncheckedIOException;

/**
 * Writes a host state as a {@code kind: Host} YAML file (the output of {@code export}); the
 * document is built by {@link SpecWriter} through the state file's spec records.
 */
public final class StateYaml {

  private static final YAMLMapper MAPPER =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private StateYaml() {}

  public static String write(HostState state) {
    try {
      return MAPPER.writeValueAsString(SpecWriter.tree(state));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
