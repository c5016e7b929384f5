package io.ringstore.storage.memory;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import java.util.Iterator;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory engine for pure caches: records live on the Java heap, and nothing survives
 * {@link #close()}.
 *
 * <p>An engine without a bound ({@link EngineSettings#isBounded()} false, JCache's default) keeps
 * its records in a plain {@link java.util.concurrent.ConcurrentHashMap} and does no eviction
 * bookkeeping at all, so that a read costs one hash lookup. An engine with {@code maxEntries},
 * {@code maxBytes} or both honours each bound with its {@link io.ringstore.spi.EvictionPolicy}: LRU,
 * LFU and FIFO in O(1) per operation, volatile-TTL in O(log n). Bytes are counted as
 * {@link StoredRecord#weightBytes(int)}. A write the policy may not make room for is refused with
 * {@link io.ringstore.spi.CapacityExceededException} and stores nothing; a single record heavier
 * than {@code maxBytes} is refused with {@link io.ringstore.spi.LimitExceededException} whatever
 * the policy. No-eviction never evicts a live record, but a full engine first drops records that
 * have already expired (soonest first, O(log n) for records with an expiry), so that dead records
 * never cause a refusal.
 *
 * <p>Expired records are never returned. They are removed when a read or an iteration meets
 * them, when eviction picks them, and by a background sweep ({@link ExpirySweep}, on the
 * settings' scheduler) that walks the records a bounded step at a time, so that dead entries
 * nobody reads do not hold memory. Each removal is reported to the settings'
 * {@link io.ringstore.spi.RemovalListener} as {@code EXPIRED}. A {@code compute} is handed an
 * expired record as it is (see {@link RecordUpdate}); replacing it is the caller's write and is
 * not reported. The clock is read only for records that have an expiry.
 *
 * <p>The engine takes no options; any entry in {@link EngineSettings#options()} is rejected.
 *
 * <p>Thread-safety: thread-safe. Reads never block; writes to different keys of an unbounded
 * engine run in parallel; a bounded engine serialises only its eviction bookkeeping.
 */
public final class MemoryStorageEngine implements StorageEngine {

  // constant after construction
  private final EngineSettings settings;
  private final Store store;
  private final ExpirySweep sweep;

  private volatile boolean closed;

  /**
   * An empty engine for {@code settings}.
   *
   * @throws IllegalArgumentException if {@code settings.options()} names any option (this engine
   *     has none)
   */
  public MemoryStorageEngine(EngineSettings settings) {
    requireNonNull(settings, "settings");
    if (!settings.options().isEmpty()) {
      throw new IllegalArgumentException("cache '" + settings.cacheName() + "': storage engine '"
          + MemoryStorageEngineFactory.NAME + "' has no options; unknown option(s) "
          + new TreeSet<>(settings.options().keySet()));
    }
    this.settings = settings;
    this.store = settings.isBounded() ? new BoundedStore(settings) : new UnboundedStore(settings);
    this.sweep = new ExpirySweep(settings.cacheName(), store, settings.env().scheduler());
    sweep.start();
  }

  @Override
  public EngineSettings settings() {
    return settings;
  }

  @Override
  public @Nullable StoredRecord get(Bytes key) {
    requireNonNull(key, "key");
    checkOpen();
    return store.get(key);
  }

  @Override
  public @Nullable StoredRecord compute(Bytes key, RecordUpdate update) {
    requireNonNull(key, "key");
    requireNonNull(update, "update");
    checkOpen();
    return store.compute(key, update);
  }

  @Override
  public Iterator<EngineEntry> iterator() {
    checkOpen();
    return store.iterator();
  }

  @Override
  public void clear() {
    checkOpen();
    store.clear();
  }

  @Override
  public EngineStats stats() {
    checkOpen();
    return store.stats();
  }

  /** Stops the sweep, drops every record (without reporting them) and refuses every later operation. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      sweep.stop();
      store.clear();
    }
  }

  /** The background sweep of expired records (tests). */
  ExpirySweep sweep() {
    return sweep;
  }

  /** Checks the store's internal invariants (tests); a no-op for an unbounded engine. */
  void checkInvariants() {
    if (store instanceof BoundedStore bounded) {
      bounded.checkInvariants();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("storage engine '" + MemoryStorageEngineFactory.NAME + "' of cache '"
          + settings.cacheName() + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "MemoryStorageEngine[cache=" + settings.cacheName() + ", maxEntries=" + bound(settings.maxEntries())
        + ", maxBytes=" + bound(settings.maxBytes()) + ", evictionPolicy=" + settings.evictionPolicy() + "]";
  }

  private static String bound(long value) {
    return value == EngineSettings.UNBOUNDED ? "unbounded" : Long.toString(value);
  }
}
