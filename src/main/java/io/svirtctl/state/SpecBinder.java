package io.svirtctl.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.svirtctl.Suggestions;
import io.svirtctl.state.YNode.Entry;
import io.svirtctl.state.YNode.YMap;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds the position-carrying YAML tree to the {@code *FileSpec} records, the one place the state
 * file's shape is declared (the JSON Schema is generated from the same records). It walks a
 * record's components ({@code @JsonProperty} names, required or optional) and their types
 * ({@code Boolean}, {@code String}, enums, {@code List<String>}, {@code Map<String, R>}, nested
 * records) and reports unknown keys with the closest valid one, missing required keys, wrong
 * types and unknown enum values, each at its file:line:col.
 *
 * <p>A bound record holds {@code null} for a component that is absent or was refused (the
 * problem is already reported); domain checks (the key catalog, rules, flags, combinations) are
 * left to {@link BodyReader}. {@link QemuConfSpec} stands for a mapping whose keys come from
 * libvirt's catalog: it is only checked to be a mapping.
 */
final class SpecBinder {

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private final Problems shape;

  SpecBinder(Problems shape) {
    this.shape = shape;
  }

  /** Binds a mapping to {@code spec}, reporting its unknown keys; empty if it is not a mapping. */
  <R extends Record> Optional<R> bind(YNode node, String path, Class<R> spec) {
    return map(node, path).map(m -> {
      keys(m, path, SpecKeys.of(spec));
      return components(m, path, spec);
    });
  }

  /** Binds the components of {@code spec} found in {@code m}; keys the spec lacks are ignored. */
  <R extends Record> R components(YMap m, String path, Class<R> spec) {
    RecordComponent[] components = spec.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      String key = SpecKeys.name(c);
      Entry e = m.entries().get(key);
      if (e != null) {
        values[i] = value(e.value(), child(path, key), c.getGenericType()).orElse(null);
      } else if (required(c)) {
        shape.add(m.location(), child(path, key), "missing");
      }
    }
    try {
      return spec.getDeclaredConstructor(types).newInstance(values);
    } catch (InvocationTargetException | InstantiationException | IllegalAccessException
        | NoSuchMethodException e) {
      throw new IllegalStateException("cannot bind " + spec.getSimpleName(), e);
    }
  }

  private static boolean required(RecordComponent c) {
    JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
    return p != null && p.required();
  }

  private Optional<?> value(YNode node, String path, Type type) {
    Class<?> raw = raw(type);
    if (raw == Boolean.class) {
      return bool(node, path);
    }
    if (raw == String.class) {
      return string(node, path);
    }
    if (raw.isEnum()) {
      return choice(node, path, raw.asSubclass(Enum.class));
    }
    if (raw == QemuConfSpec.class) {
      return map(node, path).map(m -> new QemuConfSpec());
    }
    if (raw == List.class && raw(argument(type, 0)) == String.class) {
      return strings(node, path);
    }
    if (raw == Map.class && raw(argument(type, 0)) == String.class) {
      Class<? extends Record> values = raw(argument(type, 1)).asSubclass(Record.class);
      return map(node, path).map(m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach((k, e) -> out.put(k, bind(e.value(), child(path, k), values).orElse(null)));
        return out;
      });
    }
    if (raw.isRecord()) {
      return bind(node, path, raw.asSubclass(Record.class));
    }
    throw new IllegalStateException("a spec component of unsupported type " + type);
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }

  private static Type argument(Type type, int i) {
    return ((ParameterizedType) type).getActualTypeArguments()[i];
  }

  // ---- one node ----

  /** Reports keys of {@code m} that are not in {@code valid}, with the closest valid one. */
  void keys(YMap m, String path, List<String> valid) {
    for (Map.Entry<String, Entry> kv : m.entries().entrySet()) {
      if (!valid.contains(kv.getKey())) {
        shape.add(kv.getValue().keyLocation(), child(path, kv.getKey()), unknownProperty(kv.getKey(), valid));
      }
    }
  }

  /** "unknown property 'x' (did you mean 'y'?)", or the valid keys when none is close. */
  static String unknownProperty(String key, List<String> valid) {
    return "unknown property '" + key + "'"
        + Suggestions.closest(key, valid).map(c -> " (did you mean '" + c + "'?)")
            .orElse(" (expected one of: " + String.join(", ", valid) + ")");
  }

  Optional<YMap> map(YNode node, String p) {
    if (node instanceof YMap m) {
      return Optional.of(m);
    }
    shape.add(node.location(), p, "expected a mapping, got " + node.describe());
    return Optional.empty();
  }

  Optional<String> string(YNode node, String p) {
    if (node instanceof YNode.YStr s) {
      return Optional.of(s.value());
    }
    return wrong(node, p, "a string");
  }

  Optional<Boolean> bool(YNode node, String p) {
    if (node instanceof YNode.YBool b) {
      return Optional.of(b.value());
    }
    return wrong(node, p, "true or false");
  }

  Optional<List<String>> strings(YNode node, String p) {
    if (!(node instanceof YNode.YList l)) {
      return wrong(node, p, "a list of strings");
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < l.items().size(); i++) {
      Optional<String> s = string(l.items().get(i), p + "[" + i + "]");
      ok &= s.isPresent();
      s.ifPresent(out::add);
    }
    return ok ? Optional.of(out) : Optional.empty();
  }

  /** One constant of an enum by its YAML label, "did you mean" for a near miss. */
  <E extends Enum<E>> Optional<E> choice(YNode node, String p, Class<E> type) {
    List<E> values = Arrays.asList(type.getEnumConstants());
    List<String> labels = values.stream().map(SpecKeys::label).toList();
    if (!(node instanceof YNode.YStr s)) {
      return wrong(node, p, oneOf(labels));
    }
    for (E v : values) {
      if (SpecKeys.label(v).equals(s.value())) {
        return Optional.of(v);
      }
    }
    String hint = Suggestions.closest(s.value(), labels)
        .map(c -> "did you mean '" + c + "'?")
        .orElse("expected " + oneOf(labels));
    shape.add(node.location(), p, "unknown " + what(type) + " '" + s.value() + "' (" + hint + ")");
    return Optional.empty();
  }

  /** How messages name an enum: {@code ReloadPolicy} is "reload policy". */
  private static String what(Class<?> type) {
    return type.getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
  }

  /** "a", "a or b", "a, b or c". */
  static String oneOf(List<String> labels) {
    if (labels.size() == 1) {
      return labels.get(0);
    }
    return String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + labels.get(labels.size() - 1);
  }

  <T> Optional<T> wrong(YNode node, String p, String expected) {
    shape.add(node.location(), p, "expected " + expected + ", got " + node.describe());
    return Optional.empty();
  }

  // ---- paths ----

  static Optional<Entry> entry(YMap m, String key) {
    return Optional.ofNullable(m.entries().get(key));
  }

  /** The path of {@code key} under {@code path}; odd keys are quoted so the path stays readable. */
  static String child(String path, String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return join(path, key);
    }
    return path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }
}
