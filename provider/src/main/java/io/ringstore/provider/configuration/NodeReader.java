package io.ringstore.provider.configuration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Walks the YAML node tree of one configuration file: mappings as ordered key-value entries with
 * their dotted key path, scalars as text, and every error placed at a node's line and column.
 *
 * <p>SnakeYAML's {@code compose} keeps every key of a mapping, so duplicates are found here (the
 * second occurrence is the error). Nodes with an application tag ({@code !foo}) and YAML merge keys
 * ({@code <<}) are refused: the file is data for these keys only.
 *
 * <p>Thread-safety: immutable; one per file read.
 */
final class NodeReader {
  private static final String STANDARD_TAG_PREFIX = "tag:yaml.org,2002:";

  /** One key of a mapping with its value, and the key's full dotted path. */
  record Entry(String key, String path, ScalarNode keyNode, Node value) {}

  private final String source;

  NodeReader(String source) {
    this.source = source;
  }

  /** The file's name in messages. */
  String source() {
    return source;
  }

  /** An error placed at {@code node}'s start. */
  ConfigurationFileException error(Node node, String path, String detail) {
    return error(node.getStartMark(), path, detail, null);
  }

  /** An error placed at {@code mark} (0-based in SnakeYAML, 1-based in the message). */
  ConfigurationFileException error(@Nullable Mark mark, String path, String detail, @Nullable Throwable cause) {
    int line = mark == null ? 0 : mark.getLine() + 1;
    int column = mark == null ? 0 : mark.getColumn() + 1;
    return new ConfigurationFileException(source, line, column, path, detail, cause);
  }

  /**
   * The entries of {@code node}, which must be a mapping, in file order.
   *
   * @param path the mapping's own key path ({@code ""} for the document)
   * @param need what the mapping holds, for the error if it is no mapping
   */
  List<Entry> entries(Node node, String path, String need) {
    checkTag(node, path);
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, path, (path.isEmpty() ? "the document" : path) + " is " + kind(node) + "; need " + need);
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, Entry> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)) {
        throw error(keyNode, path, "YAML merge keys ('<<') are not supported in " + describe(path)
            + "; put shared settings under 'defaults'");
      }
      checkTag(keyNode, path);
      if (!(keyNode instanceof ScalarNode scalarKey) || scalarKey.getValue().isEmpty()) {
        throw error(keyNode, path, "a key in " + describe(path) + " is " + kind(keyNode) + "; need a plain name");
      }
      String key = scalarKey.getValue();
      String keyPath = path.isEmpty() ? key : path + "." + key;
      Entry entry = new Entry(key, keyPath, scalarKey, tuple.getValueNode());
      Entry first = seen.putIfAbsent(key, entry);
      if (first != null) {
        throw error(keyNode, keyPath, "duplicate key '" + keyPath + "' (first at line "
            + (first.keyNode().getStartMark().getLine() + 1) + ")");
      }
      entries.add(entry);
    }
    return entries;
  }

  /** True if the entry's value is YAML null (written as nothing, {@code ~} or {@code null}). */
  static boolean isNull(Node value) {
    return value.getTag().equals(Tag.NULL);
  }

  /** The entry's value as text; it must be a non-null scalar. */
  String text(Entry entry, String need) {
    Node value = entry.value();
    checkTag(value, entry.path());
    if (!(value instanceof ScalarNode scalar)) {
      throw error(value, entry.path(), entry.path() + " is " + kind(value) + "; need " + need);
    }
    if (isNull(value)) {
      throw error(value.getStartMark().getLine() == entry.keyNode().getStartMark().getLine() ? value : entry.keyNode(),
          entry.path(), entry.path() + " has no value; need " + need);
    }
    return scalar.getValue();
  }

  /** The entry's value as a whole number in {@code range}. */
  long whole(Entry entry, SettingRange range) {
    String text = text(entry, "a whole number in " + range);
    try {
      return SettingText.whole(text, range);
    } catch (IllegalArgumentException ex) {
      throw badValue(entry, text, ex.getMessage(), null);
    }
  }

  /** An error for a bad value of {@code entry}: {@code path = value reason}. */
  ConfigurationFileException badValue(Entry entry, String value, String reason, @Nullable Throwable cause) {
    return error(entry.value().getStartMark(), entry.path(), entry.path() + " = " + shorten(value) + " " + reason, cause);
  }

  /** An error for a key that this mapping does not know, suggesting the nearest known key. */
  ConfigurationFileException unknownKey(Entry entry, List<String> known) {
    String nearest = nearest(entry.key(), known);
    return error(entry.keyNode(), entry.path(), "unknown key '" + entry.path() + "'"
        + (nearest == null ? "" : " (did you mean '" + nearest + "'?)")
        + " (known keys: " + String.join(", ", known) + ")");
  }

  private void checkTag(Node node, String path) {
    String tag = node.getTag().getValue();
    if (!tag.startsWith(STANDARD_TAG_PREFIX)) {
      throw error(node, path, "the tag '" + tag + "' is not supported in " + describe(path) + "; write plain values");
    }
  }

  private static String describe(String path) {
    return path.isEmpty() ? "the document" : "'" + path + "'";
  }

  private static String kind(Node node) {
    return switch (node.getNodeId()) {
      case mapping -> "a mapping";
      case sequence -> "a list";
      case scalar -> isNull(node) ? "empty" : "a plain value '" + shorten(((ScalarNode) node).getValue()) + "'";
      case anchor -> "an anchor";
    };
  }

  private static String shorten(String value) {
    String oneLine = value.replace("\n", "\\n");
    return oneLine.length() <= 100 ? oneLine : oneLine.substring(0, 97) + "...";
  }

  /** The known key within edit distance 2 of {@code key}, or null. */
  private static @Nullable String nearest(String key, List<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : known) {
      int distance = editDistance(key, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Levenshtein distance with adjacent transpositions (optimal string alignment). */
  private static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
