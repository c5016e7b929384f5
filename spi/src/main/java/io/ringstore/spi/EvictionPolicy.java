package io.ringstore.spi;

/**
 * Which entry a bounded engine gives up when a write would take it past its bound.
 *
 * <p>Every policy costs O(1) or O(log n) per operation; none scans.
 */
public enum EvictionPolicy {
  /** Evict the entry read or written least recently. */
  LRU,
  /** Evict the entry read or written least often (ties: the least recently used of them). */
  LFU,
  /** Evict the entry written first; reads do not change the order. */
  FIFO,
  /**
   * Evict, among entries that have an expiry, the one that would expire soonest (as Redis's
   * {@code volatile-ttl}). Entries without an expiry are never evicted: when only they are left,
   * the write is refused as under {@link #NO_EVICTION}.
   */
  VOLATILE_TTL,
  /** Evict nothing: a write past the bound is refused and nothing of it is stored. */
  NO_EVICTION
}
