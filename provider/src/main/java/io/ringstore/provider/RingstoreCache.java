package io.ringstore.provider;

import io.ringstore.spi.SiblingResolver;
import java.util.List;
import javax.cache.Cache;

/**
 * A Ringstore cache: a {@link Cache} plus what JCache cannot express. Obtain it with
 * {@code cache.unwrap(RingstoreCache.class)}.
 *
 * <p>Thread-safety: thread-safe, like every {@link Cache}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface RingstoreCache<K, V> extends Cache<K, V> {

  /**
   * Every version the replicas hold for {@code key}: one element normally, several when concurrent
   * writes left siblings that no read has resolved yet; empty if the key holds nothing (or only a
   * delete). Reading versions does not resolve them, count statistics, fire events or touch expiry.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalStateException if the cache is closed
   */
  List<SiblingResolver.Version<V>> getVersions(K key);

  /**
   * Concurrent values that sibling resolution discarded since the cache was created (with the
   * default last-write-wins resolver, every concurrent write but the newest). Counted whether or
   * not statistics are enabled.
   */
  long getDiscardedSiblings();

  /**
   * A copy of the cache's configuration as it is now, with Ringstore's settings (changing the copy
   * changes nothing).
   */
  io.ringstore.provider.configuration.RingstoreConfiguration<K, V> getRingstoreConfiguration();
}
