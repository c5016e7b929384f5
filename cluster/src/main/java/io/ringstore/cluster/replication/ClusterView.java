package io.ringstore.cluster.replication;

import io.ringstore.cluster.ring.RingSnapshot;

/**
 * What a coordinator needs to know of the cluster: who it is, the ring now, and which nodes are
 * judged alive. Down nodes stay on the ring (membership changes are deliberate); a coordinator
 * skips them when it picks the replicas it asks.
 *
 * <p>Thread-safety: implementations are thread-safe and never block.
 */
public interface ClusterView {

  /** This node's stable id. */
  String self();

  /** The ring as this node sees it now. */
  RingSnapshot ring();

  /** Whether {@code nodeId} is judged alive now ({@code true} for this node itself). */
  boolean isAlive(String nodeId);
}
