package io.ringstore.cluster.membership;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Part of one node's state at one generation, sent to a peer that is behind: the entries above
 * the peer's version, in ascending version order. A delta may be cut after any entry (to respect
 * the frame bound); since it is cut in version order, the receiver's highest version stays a
 * correct mark of what it has asked for, and the rest comes next round (Scuttlebutt's rule).
 *
 * <p>Invariants: entries are in strictly ascending version order with distinct keys; may be
 * empty (it then only announces the generation). {@code generation >= 0}.
 * <p>Thread-safety: immutable.
 */
public record NodeDelta(NodeId node, long generation, List<StateEntry> entries) {

  /** Checks the invariants and copies the list. */
  public NodeDelta {
    if (generation < 0) {
      throw new IllegalArgumentException("delta of " + node + ": generation = " + generation + "; need >= 0");
    }
    entries = List.copyOf(entries);
    Set<StateKey> keys = new HashSet<>();
    long previous = 0;
    for (StateEntry entry : entries) {
      if (entry.version() <= previous) {
        throw new IllegalArgumentException("delta of " + node + ": version " + entry.version() + " of " + entry.key()
            + " follows version " + previous + "; need strictly ascending versions");
      }
      if (!keys.add(entry.key())) {
        throw new IllegalArgumentException("delta of " + node + ": key " + entry.key() + " twice");
      }
      previous = entry.version();
    }
  }

  /** The highest version in the delta, 0 if it is empty. */
  public long maxVersion() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).version();
  }
}
