package io.ringstore.cluster.vertx;

import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.node.NodeOptions;
import java.time.Duration;

/**
 * What an {@link ObservedClusterManager} adds to the cluster manager it wraps: this node's stable
 * identity and capacity weight (published in its {@code NodeInfo} metadata), and how long to wait
 * for another node's {@code NodeInfo} after it joined. Checked here, with errors that name the
 * setting, the value and the bound.
 *
 * <p>Thread-safety: immutable.
 *
 * @param stableId Ringstore's node id, kept across restarts (the Vert.x node id changes at every
 *     start); published as {@value ClusterManagerSettings#NODE_ID_KEY}
 * @param weight the capacity weight (1 to 64, {@link NodeOptions#MAX_WEIGHT}), published as {@value ClusterManagerSettings#WEIGHT_KEY}
 * @param nodeInfoWait how long to keep asking the wrapped manager for the {@code NodeInfo} of a node
 *     that joined (a node joins the Vert.x cluster before its event bus publishes its
 *     {@code NodeInfo}); 100 ms to 10 min, default 30 s
 */
public record ObservedSettings(NodeId stableId, int weight, Duration nodeInfoWait) {

  /** The default of {@link #nodeInfoWait()}. */
  public static final Duration DEFAULT_NODE_INFO_WAIT = Duration.ofSeconds(30);

  /** Checks every setting. */
  public ObservedSettings {
    if (weight < 1 || weight > NodeOptions.MAX_WEIGHT) {
      throw new IllegalArgumentException("ringstore.node.weight = " + weight + " is out of range; need 1 to " + NodeOptions.MAX_WEIGHT);
    }
    if (nodeInfoWait.toMillis() < 100 || nodeInfoWait.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("ringstore.cluster.nodeInfoWait = " + nodeInfoWait
          + " is out of range; need 100 ms to 10 min");
    }
  }

  /** {@code stableId} and {@code weight}, waiting {@link #DEFAULT_NODE_INFO_WAIT} for node infos. */
  public static ObservedSettings of(NodeId stableId, int weight) {
    return new ObservedSettings(stableId, weight, DEFAULT_NODE_INFO_WAIT);
  }

  /**
   * The stable id and weight of {@code settings} (so {@link ClusterManagerSettings#from} reads them
   * from {@code ringstore.node.id} and {@code ringstore.node.weight}); its addresses and seeds
   * belong to Ringstore's own cluster manager and are not used.
   */
  public static ObservedSettings from(ClusterManagerSettings settings) {
    return of(NodeId.of(settings.stableNodeId()), settings.weight());
  }
}
