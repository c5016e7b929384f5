package io.ringstore.provider;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.StoredRecord;
import java.util.Iterator;
import java.util.NoSuchElementException;
import javax.cache.Cache;
import org.jspecify.annotations.Nullable;

/**
 * The iterator of a cache: a weakly consistent walk over this node's records of the keyspace,
 * yielding each live entry at most once (deletes, expired records and siblings resolving to
 * nothing are skipped).
 *
 * <p>As in the reference implementation, each entry returned counts as a hit (statistics) and an
 * access (expiry), and {@link #remove()} is {@code cache.remove(key)}: it calls the writer, fires a
 * REMOVED event and counts a removal.
 *
 * <p>Thread-safety: not thread-safe, like every {@link Iterator}; it never throws
 * {@link java.util.ConcurrentModificationException}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class CacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {
  private final KeyspaceCache<K, V> cache;
  private final Iterator<EngineEntry> scan;

  private @Nullable RingstoreEntry<K, V> next;
  private @Nullable Bytes nextKeyBytes;
  private @Nullable K lastKey;

  CacheIterator(KeyspaceCache<K, V> cache, Iterator<EngineEntry> scan) {
    this.cache = cache;
    this.scan = scan;
  }

  @Override
  public boolean hasNext() {
    while (next == null && scan.hasNext()) {
      EngineEntry entry = scan.next();
      StoredRecord record = entry.record();
      if (record.isTombstone() || (record.hasExpiry() && record.isExpiredAt(cache.clock.millis()))) {
        continue;
      }
      V value = cache.values.valueOf(record);
      if (value != null) {
        next = new RingstoreEntry<>(cache.codec.decodeKey(entry.key()), value);
        nextKeyBytes = entry.key();
      }
    }
    return next != null;
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RingstoreEntry<K, V> entry = next;
    Bytes keyBytes = nextKeyBytes;
    next = null;
    nextKeyBytes = null;
    lastKey = entry.getKey();
    boolean stats = cache.statisticsEnabled();
    long start = stats ? cache.ticker.nanos() : 0L;
    if (cache.expiry.hasAccessExpiry() && keyBytes != null) {
      cache.apply(keyBytes, new KeyRead<>(cache, entry.getKey(), false, null, cache.listeners.newBatch()), null);
    }
    if (stats) {
      cache.recordGet(true, start);
    }
    return entry;
  }

  @Override
  public void remove() {
    K key = lastKey;
    if (key == null) {
      throw new IllegalStateException("remove() needs a preceding next(), and may follow it only once");
    }
    lastKey = null;
    cache.remove(key);
  }
}
