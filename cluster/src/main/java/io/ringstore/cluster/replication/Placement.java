package io.ringstore.cluster.replication;

import java.util.List;

/**
 * A key's replicas now, and the live ones among them, in preference order ({@link Coordinator}
 * places a key on the ring for each operation).
 *
 * <p>Invariants: {@code live} is {@code replicas} without the nodes the cluster view held down, in
 * the same order (the same list when none was down); {@code local} is true exactly when this node
 * is the key's one replica (a single-member ring, or N = 1 with this node the replica), and then
 * every step is a direct call on this node.
 *
 * <p>Thread-safety: immutable.
 */
record Placement(List<String> replicas, List<String> live, boolean local) {}
