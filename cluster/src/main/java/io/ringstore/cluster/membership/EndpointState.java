package io.ringstore.cluster.membership;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What one node knows of one node (possibly itself): its generation and, per key, the newest
 * entry seen. The merge rules live here and nowhere else:
 *
 * <ol>
 *   <li>a newer generation wins over an older one whole: the node restarted, and nothing of its
 *       old life survives (entries of the new generation replace every old entry);
 *   <li>an older generation is ignored;
 *   <li>within a generation, each key keeps the entry with the higher version.
 * </ol>
 *
 * <p>These make {@link #merge} commutative, associative and idempotent for states that come from
 * one node's history (where a node, generation and version name one write), so that replicas
 * that have exchanged everything hold equal states whatever the order of the exchanges.
 *
 * <p>Invariants: {@code entries} is sorted by key and each entry is filed under its own key;
 * {@code generation >= 0}.
 * <p>Thread-safety: immutable.
 */
public record EndpointState(NodeId node, long generation, Map<StateKey, StateEntry> entries) {

  /** Checks the invariants and copies the map into an unmodifiable sorted one. */
  public EndpointState {
    if (generation < 0) {
      throw new IllegalArgumentException("state of " + node + ": generation = " + generation + "; need >= 0");
    }
    TreeMap<StateKey, StateEntry> sorted = new TreeMap<>(entries);
    sorted.forEach((key, entry) -> {
      if (!entry.key().equals(key)) {
        throw new IllegalArgumentException("state of " + node + ": entry " + entry.key() + " filed under " + key);
      }
    });
    entries = Collections.unmodifiableSortedMap(sorted);
  }

  /** A state with nothing but a generation. */
  public static EndpointState empty(NodeId node, long generation) {
    return new EndpointState(node, generation, Map.of());
  }

  /** The highest version held, 0 if none. */
  public long maxVersion() {
    long max = 0;
    for (StateEntry entry : entries.values()) {
      max = Math.max(max, entry.version());
    }
    return max;
  }

  /** This state summed up for a Syn. */
  public Digest digest() {
    return new Digest(node, generation, maxVersion());
  }

  /** The entry of {@code key}, or null. */
  public @Nullable StateEntry entry(StateKey key) {
    return entries.get(key);
  }

  /** The version of the heartbeat entry, 0 if there is none. */
  public long heartbeatVersion() {
    StateEntry heartbeat = entries.get(StateKey.HEARTBEAT);
    return heartbeat == null ? 0 : heartbeat.version();
  }

  /** The entries above {@code version}, in ascending version order, as a delta. */
  public NodeDelta deltaAbove(long version) {
    List<StateEntry> above = new ArrayList<>();
    for (StateEntry entry : entries.values()) {
      if (entry.version() > version) {
        above.add(entry);
      }
    }
    above.sort(Comparator.comparingLong(StateEntry::version));
    return new NodeDelta(node, generation, above);
  }

  /** Everything, as a delta. */
  public NodeDelta fullDelta() {
    return deltaAbove(0);
  }

  /**
   * This state with {@code delta} merged in by the rules above; {@code this} itself if the delta
   * changes nothing.
   */
  public EndpointState apply(NodeDelta delta) {
    if (!delta.node().equals(node)) {
      throw new IllegalArgumentException("delta of " + delta.node() + " applied to the state of " + node);
    }
    if (delta.generation() < generation) {
      return this;
    }
    if (delta.generation() > generation) {
      Map<StateKey, StateEntry> fresh = new TreeMap<>();
      delta.entries().forEach(e -> fresh.put(e.key(), e));
      return new EndpointState(node, delta.generation(), fresh);
    }
    TreeMap<StateKey, StateEntry> merged = null;
    for (StateEntry entry : delta.entries()) {
      StateEntry mine = entries.get(entry.key());
      if (mine == null || mine.version() < entry.version()) {
        if (merged == null) {
          merged = new TreeMap<>(entries);
        }
        merged.put(entry.key(), entry);
      }
    }
    return merged == null ? this : new EndpointState(node, generation, merged);
  }

  /** The merge of two states of the same node (the least upper bound of both). */
  public EndpointState merge(EndpointState other) {
    return apply(other.fullDelta());
  }
}
