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

  /**
   * While a membership change streams data (a node joins, leaves or changes weight), the ring on
   * the other side of it: the ring being moved to while reads still go by {@link #ring()}, the
   * ring being left once reads have switched; {@link #ring()} itself (the same object) when no
   * change is under way. A write goes to a key's replicas on both rings and needs W on each, so
   * that a read on either ring meets it.
   */
  default RingSnapshot otherRing() {
    return ring();
  }

  /**
   * {@link #ring()} and {@link #otherRing()} as one value, taken at one moment: a coordinator
   * places a key by both, and two separate reads could straddle a switch of reads to the target
   * ring (and see no change at all). Implementations that switch while others read return a pair
   * they publish at once; the default reads the two separately.
   */
  default Rings rings() {
    return new Rings(ring(), otherRing());
  }

  /** The ring reads go by and the other ring of a change under way (the same object when none is). */
  record Rings(RingSnapshot ring, RingSnapshot other) {}
}
