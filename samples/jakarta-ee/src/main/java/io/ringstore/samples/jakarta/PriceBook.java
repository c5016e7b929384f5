package io.ringstore.samples.jakarta;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * Prices that are costly to work out (in a real application: a query or a remote call), cached in
 * the Ringstore cache {@code prices} by the JCache annotations. Nothing but the annotations and
 * the {@code ringstore-cdi} jar in {@code WEB-INF/lib} is needed: no {@code beans.xml}, no
 * interceptor list.
 *
 * <p>Thread-safety: thread-safe.
 */
@ApplicationScoped
@CacheDefaults(cacheName = "prices")
public class PriceBook {
  private final AtomicInteger computations = new AtomicInteger();

  /** The price of {@code item}, worked out once, then served from the cache. */
  @CacheResult
  public String priceOf(String item) {
    computations.incrementAndGet();
    return (100 + Math.floorMod(item.hashCode(), 900)) + " cents";
  }

  /** Sets the price of {@code item} in the cache (a write-through would also store it elsewhere). */
  @CachePut
  public void setPrice(@CacheKey String item, @CacheValue String price) {
    // the annotation does the caching
  }

  /** Forgets the cached price of {@code item}. */
  @CacheRemove
  public void forget(String item) {
    // the annotation does the work
  }

  /** Forgets every cached price. */
  @CacheRemoveAll
  public void forgetAll() {
    // the annotation does the work
  }

  /** How many prices were worked out rather than served from the cache. */
  public int computations() {
    return computations.get();
  }
}
