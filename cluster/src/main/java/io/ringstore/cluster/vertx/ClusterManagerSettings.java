package io.ringstore.cluster.vertx;

import io.ringstore.cluster.membership.FailureDetection;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.PhiAccrualFailureDetector;
import io.ringstore.cluster.node.NodeOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

/**
 * How a {@link RingstoreClusterManager} reaches its cluster. Checked here, with errors that name
 * the setting, the value and the bound.
 *
 * <p>Thread-safety: immutable.
 *
 * @param host the interface the cluster channel listens on (default {@code 127.0.0.1})
 * @param port the cluster channel's port (default 0: any free port)
 * @param seeds cluster-channel addresses ({@code host:port}) to join through; empty, or only this
 *     node's own address, starts a new cluster
 * @param stableNodeId Ringstore's node id, kept across restarts (the Vert.x node id changes at
 *     every start); published in {@code NodeInfo} metadata as {@value #NODE_ID_KEY}
 * @param weight the capacity weight (1 to 64, {@link NodeOptions#MAX_WEIGHT}), published as {@value #WEIGHT_KEY}
 * @param requestTimeout the bound of every request on the channel (100 ms to 5 min, default 10 s)
 * @param joinTimeout how long join keeps retrying the seeds (at least requestTimeout, default 30 s)
 * @param maxFrameBytes the bound of every channel frame (64 KiB to 256 MiB, default 16 MiB)
 * @param gossipInterval the time between two gossip rounds ({@code ringstore.gossip.intervalMillis};
 *     10 ms to 1 min, default 1 s)
 * @param downAfter the failure timeout ({@code ringstore.gossip.downAfterMillis}; 2 gossip intervals
 *     to 10 min, default 5 s): with the timeout detector, how long a member's heartbeat may stand
 *     still before gossip judges it down; with phi accrual (the default), the silence after which
 *     a member beating punctually is judged down (the default acceptable pause derives from it;
 *     irregular heartbeats get more time). The {@code FailureWatch} also uses it (pause detection,
 *     hold-off, members gossip never mapped).
 * @param failureDetection how gossip judges liveness ({@code ringstore.gossip.failureDetector}:
 *     {@code phi} (default) or {@code timeout}; {@code ringstore.gossip.phiThreshold} (8, 1 to 16),
 *     {@code ringstore.gossip.minStdDevMillis} (100, 1 to 60000),
 *     {@code ringstore.gossip.acceptablePauseMillis} (derived from downAfter unless set, 0 to 600000),
 *     {@code ringstore.gossip.maxSamples} (1000, 10 to 100000)); see {@link FailureDetection}
 * @param serializableFilter the allow-list of classes whose values a cluster map may carry by Java
 *     serialisation ({@code ringstore.cluster.serializableFilter}), in JDK {@code ObjectInputFilter}
 *     pattern syntax (e.g. {@code com.example.**}); empty (the default) refuses every value that is
 *     only {@code Serializable}. The cluster-wide maps, locks and counters together hold at most
 *     half of {@code maxFrameBytes}.
 */
public record ClusterManagerSettings(
    String host,
    int port,
    List<String> seeds,
    String stableNodeId,
    int weight,
    Duration requestTimeout,
    Duration joinTimeout,
    int maxFrameBytes,
    Duration gossipInterval,
    Duration downAfter,
    FailureDetection failureDetection,
    String serializableFilter) {

  /** The {@code NodeInfo} metadata key of the stable node id. */
  public static final String NODE_ID_KEY = "ringstore.nodeId";
  /** The {@code NodeInfo} metadata key of the capacity weight. */
  public static final String WEIGHT_KEY = "ringstore.weight";

  /** Checks every setting. */
  public ClusterManagerSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("ringstore.cluster.port = " + port + " is out of range; need 0 to 65535");
    }
    seeds = List.copyOf(seeds);
    for (String seed : seeds) {
      int colon = seed.lastIndexOf(':');
      if (colon <= 0 || !seed.substring(colon + 1).matches("\\d{1,5}")) {
        throw new IllegalArgumentException("ringstore.cluster.seeds entry '" + seed + "' is not host:port");
      }
    }
    try {
      NodeId.of(stableNodeId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ringstore.node.id = '" + stableNodeId + "' is not a node id: " + e.getMessage(), e);
    }
    if (weight < 1 || weight > NodeOptions.MAX_WEIGHT) {
      throw new IllegalArgumentException("ringstore.node.weight = " + weight + " is out of range; need 1 to " + NodeOptions.MAX_WEIGHT);
    }
    if (requestTimeout.toMillis() < 100 || requestTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("ringstore.cluster.requestTimeout = " + requestTimeout + " is out of range; need 100 ms to 5 min");
    }
    if (joinTimeout.compareTo(requestTimeout) < 0) {
      throw new IllegalArgumentException("ringstore.cluster.joinTimeout = " + joinTimeout
          + " is too short; need at least ringstore.cluster.requestTimeout = " + requestTimeout);
    }
    if (maxFrameBytes < 64 * 1024 || maxFrameBytes > 256 * 1024 * 1024) {
      throw new IllegalArgumentException("ringstore.cluster.maxFrameBytes = " + maxFrameBytes
          + " is out of range; need 65536 to 268435456");
    }
    if (gossipInterval.compareTo(Duration.ofMillis(10)) < 0 || gossipInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("ringstore.gossip.intervalMillis = " + gossipInterval.toMillis()
          + " is out of range; need 10 to 60000");
    }
    if (downAfter.compareTo(gossipInterval.multipliedBy(2)) < 0 || downAfter.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("ringstore.gossip.downAfterMillis = " + downAfter.toMillis()
          + " is out of range; need 2 x ringstore.gossip.intervalMillis = " + gossipInterval.multipliedBy(2).toMillis()
          + " to 600000");
    }
    Objects.requireNonNull(failureDetection, "failureDetection");
    new ClusterValueCodec(serializableFilter); // checks the pattern, naming the setting
  }

  /** Defaults: loopback, any port, no seeds, a random stable id, weight 1. */
  public static ClusterManagerSettings defaults() {
    return new ClusterManagerSettings("127.0.0.1", 0, List.of(), UUID.randomUUID().toString(), 1,
        Duration.ofSeconds(10), Duration.ofSeconds(30), 16 * 1024 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(5),
        FailureDetection.defaults(), "");
  }

  /**
   * The defaults overridden by {@code ringstore.cluster.host}, {@code ringstore.cluster.port},
   * {@code ringstore.cluster.seeds} (comma-separated), {@code ringstore.node.id},
   * {@code ringstore.node.weight}, {@code ringstore.gossip.intervalMillis},
   * {@code ringstore.gossip.downAfterMillis}, the failure detection's {@code ringstore.gossip.failureDetector},
   * {@code ringstore.gossip.phiThreshold}, {@code ringstore.gossip.minStdDevMillis},
   * {@code ringstore.gossip.acceptablePauseMillis} and {@code ringstore.gossip.maxSamples}, and
   * {@code ringstore.cluster.serializableFilter} in {@code properties} (what {@code ServiceLoader} construction
   * reads from the system properties).
   */
  public static ClusterManagerSettings from(Properties properties) {
    ClusterManagerSettings d = defaults();
    String seeds = properties.getProperty("ringstore.cluster.seeds", "").trim();
    return new ClusterManagerSettings(
        properties.getProperty("ringstore.cluster.host", d.host()),
        intProperty(properties, "ringstore.cluster.port", d.port()),
        seeds.isEmpty() ? List.of() : Arrays.stream(seeds.split(",")).map(String::trim).toList(),
        properties.getProperty("ringstore.node.id", d.stableNodeId()),
        intProperty(properties, "ringstore.node.weight", d.weight()),
        d.requestTimeout(), d.joinTimeout(), d.maxFrameBytes(),
        Duration.ofMillis(longProperty(properties, "ringstore.gossip.intervalMillis", d.gossipInterval().toMillis())),
        Duration.ofMillis(longProperty(properties, "ringstore.gossip.downAfterMillis", d.downAfter().toMillis())),
        failureDetection(properties, d.failureDetection()),
        properties.getProperty(ClusterValueCodec.FILTER_SETTING, d.serializableFilter()));
  }

  /** The {@code ringstore.gossip.*} failure-detection properties over {@code d}, each checked with its name. */
  static FailureDetection failureDetection(Properties properties, FailureDetection d) {
    String kind = properties.getProperty("ringstore.gossip.failureDetector");
    double threshold = doubleProperty(properties, "ringstore.gossip.phiThreshold", d.phiThreshold());
    if (!(threshold >= PhiAccrualFailureDetector.MIN_THRESHOLD && threshold <= PhiAccrualFailureDetector.MAX_THRESHOLD)) {
      throw new IllegalArgumentException("ringstore.gossip.phiThreshold = "
          + properties.getProperty("ringstore.gossip.phiThreshold").trim() + " is out of range; need "
          + (int) PhiAccrualFailureDetector.MIN_THRESHOLD + " to " + (int) PhiAccrualFailureDetector.MAX_THRESHOLD);
    }
    long minStdDevMillis = longProperty(properties, "ringstore.gossip.minStdDevMillis", d.minStdDev().toMillis());
    long maxMinStdDevMillis = FailureDetection.MAX_MIN_STD_DEV.toMillis();
    if (minStdDevMillis < 1 || minStdDevMillis > maxMinStdDevMillis) {
      throw new IllegalArgumentException("ringstore.gossip.minStdDevMillis = " + minStdDevMillis + " is out of range; need 1 to "
          + maxMinStdDevMillis);
    }
    Duration pause = d.acceptablePause();
    if (properties.getProperty("ringstore.gossip.acceptablePauseMillis") != null) {
      long pauseMillis = longProperty(properties, "ringstore.gossip.acceptablePauseMillis", 0);
      long maxPauseMillis = FailureDetection.MAX_ACCEPTABLE_PAUSE.toMillis();
      if (pauseMillis < 0 || pauseMillis > maxPauseMillis) {
        throw new IllegalArgumentException("ringstore.gossip.acceptablePauseMillis = " + pauseMillis
            + " is out of range; need 0 to " + maxPauseMillis);
      }
      pause = Duration.ofMillis(pauseMillis);
    }
    int maxSamples = intProperty(properties, "ringstore.gossip.maxSamples", d.maxSamples());
    if (maxSamples < PhiAccrualFailureDetector.MIN_SAMPLES || maxSamples > PhiAccrualFailureDetector.MAX_SAMPLES) {
      throw new IllegalArgumentException("ringstore.gossip.maxSamples = " + maxSamples + " is out of range; need "
          + PhiAccrualFailureDetector.MIN_SAMPLES + " to " + PhiAccrualFailureDetector.MAX_SAMPLES);
    }
    return new FailureDetection(kind == null ? d.kind() : FailureDetection.Kind.parse("ringstore.gossip.failureDetector", kind),
        threshold, Duration.ofMillis(minStdDevMillis), pause, maxSamples);
  }

  /** Property {@code name} as a double, or {@code fallback} if unset; an error naming it if not a number. */
  static double doubleProperty(Properties properties, String name, double fallback) {
    String value = properties.getProperty(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " = '" + value + "' is not a number", e);
    }
  }

  /** Property {@code name} as a long, or {@code fallback} if unset; an error naming it if not a number. */
  static long longProperty(Properties properties, String name, long fallback) {
    String value = properties.getProperty(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " = '" + value + "' is not an integer", e);
    }
  }

  /** Property {@code name} as an int, or {@code fallback} if unset; an error naming it if not a number. */
  static int intProperty(Properties properties, String name, int fallback) {
    String value = properties.getProperty(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " = '" + value + "' is not an integer", e);
    }
  }

  /** These settings with {@code port} and {@code seeds}. */
  public ClusterManagerSettings withAddress(int port, List<String> seeds) {
    return new ClusterManagerSettings(host, port, seeds, stableNodeId, weight, requestTimeout, joinTimeout, maxFrameBytes,
        gossipInterval, downAfter, failureDetection, serializableFilter);
  }

  /** These settings with gossip rounds every {@code interval} and a member down after {@code downAfter}. */
  public ClusterManagerSettings withGossip(Duration interval, Duration downAfter) {
    return new ClusterManagerSettings(host, port, seeds, stableNodeId, weight, requestTimeout, joinTimeout, maxFrameBytes,
        interval, downAfter, failureDetection, serializableFilter);
  }

  /** These settings with {@code failureDetection} (see the record's doc). */
  public ClusterManagerSettings withFailureDetection(FailureDetection failureDetection) {
    return new ClusterManagerSettings(host, port, seeds, stableNodeId, weight, requestTimeout, joinTimeout, maxFrameBytes,
        gossipInterval, downAfter, failureDetection, serializableFilter);
  }

  /** These settings with the Java-serialisation allow-list {@code serializableFilter} (see the record's doc). */
  public ClusterManagerSettings withSerializableFilter(String serializableFilter) {
    return new ClusterManagerSettings(host, port, seeds, stableNodeId, weight, requestTimeout, joinTimeout, maxFrameBytes,
        gossipInterval, downAfter, failureDetection, serializableFilter);
  }
}
