package io.ringstore.cluster.membership;

import java.nio.charset.StandardCharsets;

/**
 * One gossip message with its envelope: the cluster it belongs to (a frame of another cluster is
 * dropped), the sending node and the address its answer goes to. This is the unit the
 * {@link GossipTransport} carries and {@link GossipCodec} encodes.
 *
 * <p>Invariants: {@code cluster} is 1 to {@value #MAX_CLUSTER_BYTES} UTF-8 bytes;
 * {@code fromAddress} is 1 to {@value StateKey#MAX_ADDRESS_BYTES} UTF-8 bytes.
 * <p>Thread-safety: immutable.
 */
public record GossipFrame(String cluster, NodeId from, String fromAddress, GossipMessage message) {

  /** The longest cluster name, in UTF-8 bytes. */
  public static final int MAX_CLUSTER_BYTES = 64;

  /** Checks the invariants. */
  public GossipFrame {
    checkCluster(cluster);
    int addressBytes = fromAddress.getBytes(StandardCharsets.UTF_8).length;
    if (addressBytes == 0 || addressBytes > StateKey.MAX_ADDRESS_BYTES) {
      throw new IllegalArgumentException("gossip address '" + fromAddress + "' is " + addressBytes
          + " UTF-8 bytes; need 1 to " + StateKey.MAX_ADDRESS_BYTES);
    }
  }

  static void checkCluster(String cluster) {
    int clusterBytes = cluster.getBytes(StandardCharsets.UTF_8).length;
    if (clusterBytes == 0 || clusterBytes > MAX_CLUSTER_BYTES) {
      throw new IllegalArgumentException("cluster name '" + cluster + "' is " + clusterBytes
          + " UTF-8 bytes; need 1 to " + MAX_CLUSTER_BYTES);
    }
  }
}
