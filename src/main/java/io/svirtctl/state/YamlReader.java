package io.svirtctl.state;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.svirtctl.SourceLocation;
import io.svirtctl.StrictUtf8;
import io.svirtctl.state.YNode.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a tree of {@link YNode}s with positions, through Jackson's YAML
 * parser with bounded resources. Only plain data comes out: no tags, no aliases, no object types,
 * so nothing in a state file can make the loader instantiate a class.
 */
final class YamlReader {

  /** State files are small; anything larger is a mistake or an attack. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  /** Deeper than any valid state file (about 6 levels) by a wide margin. */
  static final int MAX_DEPTH = 32;

  private final String file;
  private final Problems problems;

  YamlReader(String file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  /** The document's root, or empty when it cannot be read (problems recorded). */
  Optional<YNode> read(byte[] content) {
    if (content.length > MAX_BYTES) {
      problems.add(
          SourceLocation.ofFile(file), "",
          "the state file is larger than " + (MAX_BYTES / (1024 * 1024)) + " MiB");
      return Optional.empty();
    }
    Optional<SourceLocation> notUtf8 = StrictUtf8.firstInvalid(content, file);
    if (notUtf8.isPresent()) {
      // Checked here: the YAML parser would report it as a Java exception, not a place in the file.
      problems.add(notUtf8.get(), "", "the state file is not valid UTF-8");
      return Optional.empty();
    }
    try (YAMLParser p = factory().createParser(content)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        problems.add(new SourceLocation(file, 1, 1), "", "the state file is empty");
        return Optional.empty();
      }
      YNode root = node(p, "", 0);
      if (p.nextToken() != null) {
        problems.add(at(p.currentTokenLocation()), "", "a state file holds one YAML document only");
      }
      return Optional.of(root);
    } catch (TooDeep e) {
      return Optional.empty();
    } catch (JacksonException e) {
      if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
        Mark m = y.getProblemMark();
        String context = y.getContext() == null ? "" : " (" + y.getContext() + ")";
        problems.add(new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1), "",
            "YAML syntax error: " + firstLine(y.getProblem()) + context);
      } else {
        SourceLocation loc =
            e.getLocation() == null ? SourceLocation.ofFile(file) : at(e.getLocation());
        problems.add(loc, "", "YAML syntax error: " + firstLine(e.getOriginalMessage()));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static YAMLFactory factory() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES);
    options.setNestingDepthLimit(MAX_DEPTH * 4);
    options.setMaxAliasesForCollections(10);
    // Duplicates are found by this reader instead, so that all of them are reported at once.
    options.setAllowDuplicateKeys(true);
    options.setAllowRecursiveKeys(false);
    YAMLFactory f = YAMLFactory.builder().loaderOptions(options).build();
    f.setStreamReadConstraints(
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH * 4)
            .maxStringLength(MAX_BYTES)
            .maxNumberLength(100)
            .build());
    return f;
  }

  private YNode node(YAMLParser p, String path, int depth) throws IOException {
    SourceLocation loc = at(p.currentTokenLocation());
    if (depth > MAX_DEPTH) {
      // Stop reading: skipping the rest could itself run into the parser's own depth limit.
      problems.add(loc, "", "the YAML is nested deeper than " + MAX_DEPTH + " levels");
      throw new TooDeep();
    }
    if (p.isCurrentAlias()) {
      // Aliases could multiply a small file into a huge tree; Fleet defaults and groups share
      // settings without them.
      problems.unreadable(loc, path, "YAML aliases are not supported (use Fleet defaults or groups)");
      p.skipChildren();
      return new YNode.YNull(loc);
    }
    String tag = p.getTypeId();
    if (tag != null) {
      problems.add(loc, path, "YAML tags are not supported ('" + tag + "')");
    }
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        return map(p, path, depth, loc);
      case START_ARRAY:
        List<YNode> items = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(node(p, path + "[" + i + "]", depth + 1));
          i++;
        }
        return new YNode.YList(loc, items);
      case VALUE_STRING:
        return new YNode.YStr(loc, p.getText());
      case VALUE_NUMBER_INT:
        return new YNode.YInt(loc, p.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT:
        return new YNode.YFloat(loc, p.getText());
      case VALUE_TRUE:
        return new YNode.YBool(loc, true);
      case VALUE_FALSE:
        return new YNode.YBool(loc, false);
      case VALUE_NULL:
        return new YNode.YNull(loc);
      default:
        problems.add(loc, path, "unsupported YAML value");
        p.skipChildren();
        return new YNode.YNull(loc);
    }
  }

  private YNode map(YAMLParser p, String path, int depth, SourceLocation loc) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      SourceLocation keyLoc = at(p.currentTokenLocation());
      String child = SpecBinder.child(path, key);
      p.nextToken();
      YNode value = node(p, child, depth + 1);
      Entry first = entries.get(key);
      if (first != null) {
        problems.add(
            keyLoc, child,
            "duplicate key '" + key + "' (first at line " + first.keyLocation().line() + ")");
      } else {
        entries.put(key, new Entry(keyLoc, value));
      }
    }
    return new YNode.YMap(loc, entries);
  }

  private SourceLocation at(JsonLocation l) {
    return new SourceLocation(file, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
  }

  /** Aborts reading a document nested too deeply (already reported). */
  private static final class TooDeep extends RuntimeException {
    TooDeep() {
      super("nested too deeply", null, false, false);
    }
  }

  private static String firstLine(String message) {
    String m = message == null ? "unreadable input" : message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
