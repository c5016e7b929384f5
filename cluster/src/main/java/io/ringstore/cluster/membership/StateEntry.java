package io.ringstore.cluster.membership;

import io.ringstore.spi.Bytes;

/**
 * One versioned piece of a node's state: the value of {@code key} as the node set it at
 * {@code version}. Versions come from one counter per node and generation, shared by all keys
 * (the heartbeat included), so within a generation a version names exactly one write: two entries
 * with the same node, generation, key and version are equal.
 *
 * <p>Invariants: {@code version >= 1}; {@code key.problem(value) == null}.
 * <p>Thread-safety: immutable.
 */
public record StateEntry(StateKey key, long version, Bytes value) {

  /** Checks the invariants. */
  public StateEntry {
    if (version < 1) {
      throw new IllegalArgumentException(key + " version = " + version + "; need >= 1");
    }
    String problem = key.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
