package io.ringstore.provider.configuration;

import io.ringstore.cluster.membership.NodeId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a file's {@code node} mapping: the settings of the node the cache manager runs, written
 * as the same names the manager's properties use ({@code node.id} is the property
 * {@code ringstore.node.id}, {@code node.cluster.seeds} is {@code ringstore.cluster.seeds}), so
 * that a property given to {@code getCacheManager} overrides the file's value of the same name.
 *
 * <pre>{@code
 * node:
 *   id: alpha            # ringstore.node.id
 *   weight: 2            # ringstore.node.weight (1..64)
 *   cluster:
 *     host: 127.0.0.1    # ringstore.cluster.host
 *     port: 7701         # ringstore.cluster.port (0..65535; 0 = any free port)
 *     seeds: [127.0.0.1:7701, 127.0.0.1:7702]   # ringstore.cluster.seeds
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; one instance reads one file.
 */
final class NodeSection {

  /** The keys of {@code node}. */
  static final List<String> NODE_KEYS = List.of("id", "weight", "cluster");

  /** The keys of {@code node.cluster}. */
  static final List<String> CLUSTER_KEYS = List.of("host", "port", "seeds");

  /** The capacity weights a node may have. */
  static final SettingRange WEIGHT = new SettingRange(1, 64);

  /** The ports a node may listen on (0: any free port). */
  static final SettingRange PORT = new SettingRange(0, 65_535);

  private final NodeReader reader;

  NodeSection(NodeReader reader) {
    this.reader = reader;
  }

  /** The node settings of {@code node} (the value of the top-level key), by property name, in file order. */
  Map<String, String> read(Node node, String path) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (NodeReader.isNull(node)) {
      return properties;
    }
    for (NodeReader.Entry e : reader.entries(node, path, "a mapping of node settings (" + String.join(", ", NODE_KEYS) + ")")) {
      switch (e.key()) {
        case "id" -> properties.put("ringstore.node.id", id(e));
        case "weight" -> properties.put("ringstore.node.weight", Long.toString(reader.whole(e, WEIGHT)));
        case "cluster" -> cluster(e, properties);
        default -> throw reader.unknownKey(e, NODE_KEYS);
      }
    }
    return properties;
  }

  private void cluster(NodeReader.Entry cluster, Map<String, String> properties) {
    if (NodeReader.isNull(cluster.value())) {
      return;
    }
    for (NodeReader.Entry e : reader.entries(cluster.value(), cluster.path(),
        "a mapping of cluster settings (" + String.join(", ", CLUSTER_KEYS) + ")")) {
      switch (e.key()) {
        case "host" -> properties.put("ringstore.cluster.host", reader.text(e, "a host name or IP address"));
        case "port" -> properties.put("ringstore.cluster.port", Long.toString(reader.whole(e, PORT)));
        case "seeds" -> properties.put("ringstore.cluster.seeds", String.join(",", seeds(e)));
        default -> throw reader.unknownKey(e, CLUSTER_KEYS);
      }
    }
  }

  private String id(NodeReader.Entry e) {
    String id = reader.text(e, "a node id of 1 to " + NodeId.MAX_UTF8_BYTES + " UTF-8 bytes");
    try {
      return NodeId.of(id).value();
    } catch (IllegalArgumentException ex) {
      throw reader.badValue(e, id, "is not a node id: " + ex.getMessage(), ex);
    }
  }

  /** A list of {@code host:port} addresses, or one such address. */
  private List<String> seeds(NodeReader.Entry e) {
    List<String> seeds = new ArrayList<>();
    if (e.value() instanceof SequenceNode list) {
      for (Node item : list.getValue()) {
        if (!(item instanceof ScalarNode scalar) || NodeReader.isNull(item)) {
          throw reader.error(item, e.path(), e.path() + " holds an entry that is not an address; need host:port entries");
        }
        seeds.add(seed(e, scalar.getValue(), item));
      }
    } else {
      seeds.add(seed(e, reader.text(e, "a list of host:port addresses"), e.value()));
    }
    return seeds;
  }

  private String seed(NodeReader.Entry e, String text, Node at) {
    String seed = text.trim();
    int colon = seed.lastIndexOf(':');
    if (colon <= 0 || !seed.substring(colon + 1).matches("\\d{1,5}") || Integer.parseInt(seed.substring(colon + 1)) > 65_535) {
      throw reader.error(at, e.path(), e.path() + " entry '" + seed + "' is not host:port (port 0..65535)");
    }
    return seed;
  }
}
