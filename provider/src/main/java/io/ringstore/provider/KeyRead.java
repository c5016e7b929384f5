package io.ringstore.provider;

import io.ringstore.cluster.replication.Mutation;
import io.ringstore.provider.event.EventBatch;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A read of one key that has to change the key: it renews the entry's expiry (an expiry policy
 * with an access duration), and/or loads an absent value through the cache's loader (read-through)
 * and stores it, all in one atomic step so that concurrent readers of a missing key load it once.
 *
 * <p>A loaded value is stored with the policy's creation expiry (not at all if that is ZERO) and
 * fires a CREATED event; the writer is not called for it. If the loader throws, nothing changes and
 * the {@link javax.cache.integration.CacheLoaderException} reaches the caller.
 *
 * <p>Thread-safety: not thread-safe; one instance per read.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class KeyRead<K, V> extends KeyStep<K, V> {
  private final boolean readThrough;
  private final @Nullable Map<K, V> preloaded;

  // outcome
  /** The value read or loaded, or null. */
  @Nullable V value;
  /** Whether a loaded value was stored. */
  boolean loaded;

  /**
   * @param readThrough whether to load an absent value
   * @param preloaded values already loaded in bulk ({@code getAll}): an absent key takes its value
   *     from here instead of calling the loader; null to call the loader
   */
  KeyRead(KeyspaceCache<K, V> cache, K key, boolean readThrough, @Nullable Map<K, V> preloaded, EventBatch<K, V> batch) {
    super(cache, key, batch);
    this.readThrough = readThrough;
    this.preloaded = preloaded;
  }

  @Override
  void reset() {
    value = null;
    loaded = false;
  }

  @Override
  Mutation decide(@Nullable StoredRecord current) {
    if (present) {
      value = presentValue();
      return access();
    }
    if (!readThrough) {
      return Mutation.KEEP;
    }
    V loadedValue = preloaded != null ? preloaded.get(key) : cache.readThrough.load(key);
    if (loadedValue == null) {
      return Mutation.KEEP;
    }
    value = loadedValue;
    Bytes bytes = encode(loadedValue);
    Mutation.Write write = store(bytes, false);
    if (write == null) {
      return Mutation.KEEP;
    }
    loaded = true;
    batch.created(key, loadedValue);
    return write;
  }

  /** Whether a value was present before the read (a hit). */
  boolean hit() {
    return present;
  }
}
