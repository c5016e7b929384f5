package io.ringstore.storage.memory;

import io.ringstore.spi.EvictionPolicy;
import java.util.Collection;
import java.util.Iterator;

/**
 * The order in which a {@link BoundedStore} gives entries up, one implementation per
 * {@link EvictionPolicy}: {@link LinkedOrder} for LRU and FIFO, {@link FrequencyOrder} for LFU,
 * and {@link ExpiryOrder} for volatile-TTL and for no-eviction (which may only drop records that
 * have already expired). Each hook is O(1), or O(log n) for the expiry order; none scans.
 *
 * <p>Invariants: every live node of the store is in the order, except that {@link ExpiryOrder}
 * holds only the nodes whose record has an expiry.
 * <p>Thread-safety: not thread-safe; the store calls every method under its lock.
 */
abstract class EvictionOrder {

  /** The order for {@code policy}. */
  static EvictionOrder of(EvictionPolicy policy) {
    return switch (policy) {
      case LRU -> new LinkedOrder(true);
      case FIFO -> new LinkedOrder(false);
      case LFU -> new FrequencyOrder();
      case VOLATILE_TTL -> new ExpiryOrder(false);
      case NO_EVICTION -> new ExpiryOrder(true);
    };
  }

  /** A new node was inserted (it is not evictable until this returns). */
  abstract void onInsert(Node node);

  /** The node's record was replaced by a write; {@code node.record} is the new record. */
  abstract void onWrite(Node node);

  /** The node's record was read. */
  abstract void onRead(Node node);

  /** The node leaves the store. */
  abstract void remove(Node node);

  /** Whether {@link #onRead} does anything (reads skip the lock when it does not). */
  abstract boolean recordsReads();

  /**
   * Whether only records that have already expired may be taken (no-eviction: making room by
   * dropping what is dead anyway is not eviction). The candidates then come soonest expiry first,
   * and the store stops at the first one still alive.
   */
  boolean takesOnlyExpired() {
    return false;
  }

  /**
   * The nodes in the order they should be evicted, first the first to go. The iterator is valid
   * only until the order next changes.
   */
  abstract Iterator<Node> evictionCandidates();

  /**
   * Checks the structure against the store's live nodes (tests; O(n)).
   *
   * @throws IllegalStateException naming the broken invariant
   */
  abstract void check(Collection<Node> live);
}
