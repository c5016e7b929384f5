package io.ringstore.samples.spring;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Prices that are costly to compute (in a real application: a remote call or a query), cached in
 * the Ringstore cache {@code prices}.
 *
 * <p>Thread-safety: thread-safe.
 */
@Service
public class PriceService {
  private final AtomicInteger computations = new AtomicInteger();

  /** The price of {@code item} in cents, computed once and then served from the cache. */
  @Cacheable("prices")
  public Long priceOf(String item) {
    computations.incrementAndGet();
    return 100L + Math.floorMod(item.hashCode(), 900);
  }

  /** Forgets the cached price of {@code item}. */
  @CacheEvict("prices")
  public void forget(String item) {
    // the annotation does the work
  }

  /** How many prices were computed rather than served from the cache. */
  public int computations() {
    return computations.get();
  }
}
