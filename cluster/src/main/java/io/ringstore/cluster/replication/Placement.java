package io.ringstore.cluster.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * A key's replicas now, and the live ones among them, in preference order ({@link Coordinator}
 * places a key on the ring for each operation). While a membership change moves the key (a node
 * joins, leaves or changes weight: {@link ClusterView#otherRing()}), the key also has the replicas
 * of the ring on the other side of the change: writes go to both lists and need W on each, reads
 * and the primary go by {@code replicas}.
 *
 * <p>Invariants: {@code live} is {@code replicas} without the nodes the cluster view held down, in
 * the same order (the same list when none was down), and likewise {@code otherLive} of
 * {@code others}; {@code others} is empty unless the change moves this key (its lists on the two
 * rings differ); {@code local} is true exactly when this node is the key's one replica (a
 * single-member ring, or N = 1 with this node the replica) and no change moves the key, and then
 * every step is a direct call on this node.
 *
 * <p>Thread-safety: immutable.
 */
record Placement(List<String> replicas, List<String> live, boolean local, List<String> others, List<String> otherLive) {

  /** A placement no membership change moves. */
  Placement(List<String> replicas, List<String> live, boolean local) {
    this(replicas, live, local, List.of(), List.of());
  }

  /** Whether a membership change moves this key: writes need W on both lists. */
  boolean moving() {
    return !others.isEmpty();
  }

  /** Every node a write goes to: {@code replicas}, then the nodes of {@code others} not among them. */
  List<String> writeReplicas() {
    return moving() ? union(replicas, others) : replicas;
  }

  /** The live nodes a write goes to, in the order of {@link #writeReplicas()}. */
  List<String> writeLive() {
    return moving() ? union(live, otherLive) : live;
  }

  /** Whether {@code acknowledged} (nodes that took a write) hold W of {@code replicas} and, while moving, W of {@code others}. */
  boolean meets(int writeQuorum, List<String> acknowledged) {
    return count(replicas, acknowledged) >= writeQuorum && (!moving() || count(others, acknowledged) >= writeQuorum);
  }

  /** The fewest live nodes of the two lists: what a write quorum can count on at most. */
  int writeLiveBound() {
    return moving() ? Math.min(live.size(), otherLive.size()) : live.size();
  }

  private static int count(List<String> nodes, List<String> acknowledged) {
    int n = 0;
    for (String node : nodes) {
      if (acknowledged.contains(node)) {
        n++;
      }
    }
    return n;
  }

  private static List<String> union(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first.size() + second.size());
    all.addAll(first);
    for (String node : second) {
      if (!all.contains(node)) {
        all.add(node);
      }
    }
    return all;
  }
}
