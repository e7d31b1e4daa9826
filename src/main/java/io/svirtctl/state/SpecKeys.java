package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/** The YAML keys of a spec record, read from its {@code @JsonProperty} names. */
final class SpecKeys {

  private SpecKeys() {}

  /** The keys of {@code spec} in declaration order; the schema is generated from the same names. */
  static List<String> of(Class<? extends Record> spec) {
    List<String> keys = new ArrayList<>();
    for (RecordComponent c : spec.getRecordComponents()) {
      JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
      keys.add(p == null ? c.getName() : p.value());
    }
    return List.copyOf(keys);
  }
}
