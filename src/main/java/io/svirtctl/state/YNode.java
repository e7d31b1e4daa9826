package io.svirtctl.state;

import io.svirtctl.SourceLocation;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A YAML node of a state file with the position it was written at. Internal to loading. */
sealed interface YNode
    permits YNode.YMap, YNode.YList, YNode.YStr, YNode.YInt, YNode.YFloat, YNode.YBool,
        YNode.YNull {

  SourceLocation location();

  /** How the node is described in "expected X, got Y" messages. */
  String describe();

  /** A key of a mapping: where it is written, and its value. */
  record Entry(SourceLocation keyLocation, YNode value) {
    public Entry {
      Objects.requireNonNull(keyLocation, "keyLocation");
      Objects.requireNonNull(value, "value");
    }
  }

  /** A mapping with string keys, in document order. */
  record YMap(SourceLocation location, Map<String, Entry> entries) implements YNode {
    public YMap {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A sequence. */
  record YList(SourceLocation location, List<YNode> items) implements YNode {
    public YList {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A string scalar. */
  record YStr(SourceLocation location, String value) implements YNode {
    @Override
    public String describe() {
      return "string '" + value + "'";
    }
  }

  /** An integer scalar. */
  record YInt(SourceLocation location, BigInteger value) implements YNode {
    @Override
    public String describe() {
      return "integer " + value;
    }
  }

  /** A floating-point scalar, kept as written. */
  record YFloat(SourceLocation location, String text) implements YNode {
    @Override
    public String describe() {
      return "number " + text;
    }
  }

  /** A boolean scalar. */
  record YBool(SourceLocation location, boolean value) implements YNode {
    @Override
    public String describe() {
      return "boolean " + value;
    }
  }

  /** A null ({@code ~}, {@code null} or nothing). */
  record YNull(SourceLocation location) implements YNode {
    @Override
    public String describe() {
      return "null";
    }
  }
}
