package io.ringstore.spi;

/**
 * A bounded engine that may not evict (policy {@link EvictionPolicy#NO_EVICTION}, or
 * {@link EvictionPolicy#VOLATILE_TTL} with nothing evictable) refused a write that would take it
 * past its entry or byte bound. Nothing of the write was stored.
 */
public class CapacityExceededException extends LimitExceededException {
  private static final long serialVersionUID = 1L;

  private final String cache;

  public CapacityExceededException(String cache, String setting, long value, long limit, EvictionPolicy policy) {
    super(String.format("cache '%s' is full: the write would make %s = %d, past the bound %d (%s = %d, evictionPolicy = %s)",
        cache, setting, value, limit, setting, limit, policy), setting, value, limit);
    this.cache = cache;
  }

  /** The name of the cache that is full. */
  public String cache() {
    return cache;
  }
}
