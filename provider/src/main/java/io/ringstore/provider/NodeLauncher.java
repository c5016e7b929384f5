package io.ringstore.provider;

import io.ringstore.cluster.handoff.HandoffSettings;
import io.ringstore.cluster.node.NodeOptions;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.cluster.repair.RepairSettings;
import io.ringstore.cluster.vertx.ClusterManagerSettings;
import io.ringstore.cluster.vertx.EventBusSettings;
import io.ringstore.cluster.vertx.HardenedEventBus;
import io.ringstore.cluster.vertx.RingstoreClusterManager;
import io.ringstore.spi.env.Env;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Starts the node a cache manager runs, from the manager's properties over its file's {@code node}
 * mapping (a property given to {@code getCacheManager} wins over the file's value of the same
 * name). The node is embedded (a cluster of one, no network) unless {@value #CLUSTER_PORT} or
 * {@value #CLUSTER_SEEDS} is set; then it joins a cluster on Ringstore's own cluster manager.
 *
 * <p>Thread-safety: stateless.
 */
final class NodeLauncher {

  /** The node's stable id (default: a random {@code node-} id). */
  static final String NODE_ID = "ringstore.node.id";
  /** The node's capacity weight, 1 to 64 (default 1). */
  /** Whether a node added to a running cluster receives its share of the data before it serves (docs/rebalancing.md). */
  static final String NODE_BOOTSTRAP = "ringstore.node.bootstrap";
  static final String NODE_WEIGHT = "ringstore.node.weight";
  /** The interface the cluster channel and the event bus listen on (default 127.0.0.1). */
  static final String CLUSTER_HOST = "ringstore.cluster.host";
  /** The cluster channel's port (0: any free port). Setting it makes the node clustered. */
  static final String CLUSTER_PORT = "ringstore.cluster.port";
  /** Comma-separated {@code host:port} seeds. Setting them makes the node clustered. */
  static final String CLUSTER_SEEDS = "ringstore.cluster.seeds";

  /** The event bus's interface (default: the cluster host). */
  static final String BUS_HOST = "ringstore.bus.host";

  /**
   * The prefixes of node settings: a manager property under one of them is a node setting
   * ({@code ringstore.node.*}, {@code ringstore.cluster.*}, {@code ringstore.gossip.*},
   * {@code ringstore.bus.*}, {@code ringstore.handoff.*}, {@code ringstore.repair.*}; docs/configuration.md lists them).
   */
  static final List<String> NODE_PREFIXES = List.of("ringstore.node.", "ringstore.cluster.", "ringstore.gossip.", "ringstore.bus.",
      HandoffSettings.PREFIX, RepairSettings.PREFIX);

  private NodeLauncher() {}

  /**
   * The node for {@code managerProperties} over {@code fileProperties}.
   *
   * @throws IllegalArgumentException naming the setting, the value and the bound for a bad value
   * @throws IllegalStateException if a clustered node cannot join
   */
  static RingstoreNode start(ClassLoader classLoader, Env env, Properties managerProperties, Map<String, String> fileProperties) {
    Properties settings = new Properties();
    settings.putAll(fileProperties);
    for (String name : managerProperties.stringPropertyNames()) {
      if (NODE_PREFIXES.stream().anyMatch(name::startsWith)) {
        settings.setProperty(name, managerProperties.getProperty(name));
      }
    }
    NodeOptions options = NodeOptions.embedded(classLoader).withEnv(env);
    String id = settings.getProperty(NODE_ID);
    if (id != null) {
      options = options.withNodeId(id.trim());
    }
    String weight = settings.getProperty(NODE_WEIGHT);
    if (weight != null) {
      try {
        options = options.withWeight(Integer.parseInt(weight.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(NODE_WEIGHT + " = '" + weight + "' is not a whole number; need 1 to " + NodeOptions.MAX_WEIGHT, e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(NODE_WEIGHT + " = " + weight.trim() + " is out of range; need 1 to " + NodeOptions.MAX_WEIGHT, e);
      }
    }
    options = options.withHandoff(HandoffSettings.from(settings))
        .withRepair(RepairSettings.from(settings), RepairSettings.periodic(settings));
    String bootstrap = settings.getProperty(NODE_BOOTSTRAP);
    if (bootstrap != null) {
      String value = bootstrap.trim();
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException(NODE_BOOTSTRAP + " = '" + bootstrap + "' is not true or false");
      }
      options = options.withBootstrap(Boolean.parseBoolean(value));
    }
    if (settings.getProperty(CLUSTER_PORT) == null && settings.getProperty(CLUSTER_SEEDS) == null) {
      return RingstoreNode.embedded(options);
    }
    settings.setProperty(NODE_ID, options.nodeId());
    ClusterManagerSettings cluster = ClusterManagerSettings.from(settings);
    if (settings.getProperty(BUS_HOST) == null) {
      settings.setProperty(BUS_HOST, cluster.host());
    }
    HardenedEventBus eventBus = new HardenedEventBus(EventBusSettings.from(settings));
    return RingstoreNode.clustered(options, new RingstoreClusterManager(cluster), eventBus,
        cluster.joinTimeout().plus(cluster.requestTimeout()));
  }
}
