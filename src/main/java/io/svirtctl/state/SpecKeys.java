package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.svirtctl.apparmor.Mode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The YAML names of the spec records' keys and enum values; the schema uses the same names. */
final class SpecKeys {

  private SpecKeys() {}

  /** The keys of {@code spec} in declaration order. */
  static List<String> of(Class<? extends Record> spec) {
    List<String> keys = new ArrayList<>();
    for (RecordComponent c : spec.getRecordComponents()) {
      keys.add(name(c));
    }
    return List.copyOf(keys);
  }

  /** The YAML key of one component: its {@code @JsonProperty} name. */
  static String name(RecordComponent c) {
    JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
    return p == null ? c.getName() : p.value();
  }

  /** How a constant is written in YAML: {@code Host}/{@code Fleet} as named, others in lowercase. */
  static String label(Enum<?> constant) {
    if (constant instanceof Mode m) {
      return m.label();
    }
    if (constant instanceof StateKind k) {
      return k.name();
    }
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
