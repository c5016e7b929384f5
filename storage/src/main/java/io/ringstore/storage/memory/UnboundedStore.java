package io.ringstore.storage.memory;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.RemovalCause;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The store of an engine without a bound: a {@link ConcurrentHashMap} from key to record and
 * nothing else. This is the path of JCache's default (unbounded) caches, so it is kept as short
 * as the map itself: a read is one {@code map.get}, plus one clock read only when the record has
 * an expiry; it takes no lock, allocates nothing and touches no counter. A write is one
 * {@code map.compute} that runs the caller's {@link RecordUpdate} itself (no wrapper per write).
 *
 * <p>The byte count is therefore not kept as writes happen: {@link #stats()} sums
 * {@link StoredRecord#weightBytes} over the map, which costs a walk of the map (stats are read
 * rarely; writes are the hot path). Once no compute is running the sum is exact.
 *
 * <p>Thread-safety: thread-safe; operations on different keys run in parallel.
 */
final class UnboundedStore implements Store {

  // constant after construction
  private final ConcurrentHashMap<Bytes, StoredRecord> map = new ConcurrentHashMap<>();
  private final Clock clock;
  private final RemovalListener removalListener;

  // counters, updated concurrently
  private final LongAdder expirations = new LongAdder();

  UnboundedStore(EngineSettings settings) {
    this.clock = settings.env().clock();
    this.removalListener = settings.removalListener();
  }

  @Override
  public @Nullable StoredRecord get(Bytes key) {
    StoredRecord record = map.get(key);
    if (record != null && record.hasExpiry() && record.isExpiredAt(clock.millis())) {
      expire(key, record);
      return null;
    }
    return record;
  }

  @Override
  public @Nullable StoredRecord compute(Bytes key, RecordUpdate update) {
    return map.compute(key, update);
  }

  /** Removes {@code record} if it is still what {@code key} holds, and reports it as expired. */
  private void expire(Bytes key, StoredRecord record) {
    // remove(key, value) compares by equals: an equal record has the same weight and expiry.
    if (map.remove(key, record)) {
      expirations.increment();
      removalListener.onRemoval(key, record, RemovalCause.EXPIRED);
    }
  }

  @Override
  public Iterator<EngineEntry> iterator() {
    return new LiveIterator(map.entrySet().iterator());
  }

  @Override
  public void clear() {
    map.clear();
  }

  @Override
  public long expirationCount() {
    return expirations.sum();
  }

  @Override
  public EngineStats stats() {
    long weightBytes = 0;
    for (Map.Entry<Bytes, StoredRecord> e : map.entrySet()) {
      weightBytes += e.getValue().weightBytes(e.getKey().length());
    }
    return new EngineStats(map.mappingCount(), weightBytes, 0, expirations.sum());
  }

  /** Walks the map, dropping (and expiring) records whose time has passed. */
  private final class LiveIterator implements Iterator<EngineEntry> {
    private final Iterator<Map.Entry<Bytes, StoredRecord>> source;
    private @Nullable EngineEntry next;

    LiveIterator(Iterator<Map.Entry<Bytes, StoredRecord>> source) {
      this.source = source;
    }

    @Override
    public boolean hasNext() {
      while (next == null && source.hasNext()) {
        Map.Entry<Bytes, StoredRecord> e = source.next();
        StoredRecord record = e.getValue();
        if (record.hasExpiry() && record.isExpiredAt(clock.millis())) {
          expire(e.getKey(), record);
        } else {
          next = new EngineEntry(e.getKey(), record);
        }
      }
      return next != null;
    }

    @Override
    public EngineEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      EngineEntry result = next;
      next = null;
      return result;
    }
  }
}
