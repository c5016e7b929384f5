package io.ringstore.spi;

import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * Where one replica keeps the records of one cache: a map from key bytes to {@link StoredRecord}.
 * An engine knows nothing of users' types, of vector-clock merging or of replication; the
 * cluster layer above it decides what to store.
 *
 * <p>Contract (checked for every engine by {@code io.ringstore.spi.testkit.StorageEngineContract}):
 * <ol>
 *   <li>{@link #get} and {@link #iterator} never return a record that has expired by the engine's
 *       clock ({@link EngineSettings#env()}); an expired record they meet is removed and reported
 *       to the {@link EngineSettings#removalListener()} with {@link RemovalCause#EXPIRED}.</li>
 *   <li>{@link #compute} is atomic per key: no other operation on the same key interleaves with
 *       it. Whatever it returns is what a following {@link #get} sees (unless expired or
 *       evicted).</li>
 *   <li>A bounded engine ({@link EngineSettings#maxEntries()} or {@link EngineSettings#maxBytes()})
 *       never holds more than its bound after a {@code compute} returns: it evicts by its
 *       {@link EvictionPolicy}, reporting each eviction, or, when it may not evict, throws
 *       {@link CapacityExceededException} and leaves the key as it was.</li>
 *   <li>If a {@link RecordUpdate} throws, the key is left as it was and the exception propagates.</li>
 *   <li>After {@link #close}, every operation throws {@link IllegalStateException}.</li>
 * </ol>
 *
 * <p>Thread-safety: engines are thread-safe; operations on different keys may run in parallel.
 */
public interface StorageEngine extends AutoCloseable {

  /** The settings the engine was opened with. */
  EngineSettings settings();

  /** The live record under {@code key}, or {@code null}. Tombstones are returned; expired records are not. */
  @Nullable StoredRecord get(Bytes key);

  /**
   * Atomically replaces the record under {@code key} with what {@code update} returns.
   *
   * @return the record now stored under the key, or {@code null} if none
   * @throws CapacityExceededException if the result would pass the bound and the policy may not evict
   */
  @Nullable StoredRecord compute(Bytes key, RecordUpdate update);

  /**
   * A weakly consistent iterator over the live entries: it never throws
   * {@code ConcurrentModificationException}, sees each key at most once and skips expired records.
   * {@link Iterator#remove()} is not supported; remove through {@link #compute}.
   */
  Iterator<EngineEntry> iterator();

  /** Removes every record (without reporting them to the removal listener). */
  void clear();

  /** The engine's counters now. */
  EngineStats stats();

  /** Releases the engine's resources. Idempotent. */
  @Override
  void close();
}
