package io.ringstore.provider;

import io.ringstore.provider.event.EventBatch;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;
import java.lang.System.Logger.Level;
import javax.cache.event.EventType;

/**
 * Hears of the records a cache's storage engine removes on its own: an expiry fires an EXPIRED
 * event with the value the record held (synchronous listeners run on the thread whose operation
 * met the expired record), an eviction counts in the statistics (JCache has no eviction event);
 * either lets go of the record's store-by-reference handles.
 *
 * <p>Never throws (the engine's contract): a failing synchronous listener is logged at WARNING.
 *
 * <p>Thread-safety: thread-safe; called on whichever thread caused the removal.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class EngineRemovals<K, V> implements RemovalListener {
  private static final System.Logger LOG = System.getLogger(EngineRemovals.class.getName());

  private final KeyspaceCache<K, V> cache;

  EngineRemovals(KeyspaceCache<K, V> cache) {
    this.cache = cache;
  }

  @Override
  public void onRemoval(Bytes key, StoredRecord record, RemovalCause cause) {
    try {
      if (cause == RemovalCause.EVICTED) {
        if (cache.statisticsEnabled()) {
          cache.statistics.recordEvictions(1);
        }
      } else if (!cache.isClosed() && !record.isTombstone() && cache.listeners.wants(EventType.EXPIRED)) {
        EventBatch<K, V> batch = cache.listeners.newBatch();
        batch.expired(cache.codec.decodeKey(key), cache.values.valueOf(record));
        batch.fire();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cache '" + cache.getName() + "': reporting the " + cause + " of a record failed", e);
    } finally {
      cache.values.release(record);
    }
  }
}
