package io.ringstore.storage.memory;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.StoredRecord;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * The map behind a {@link MemoryStorageEngine}: {@link UnboundedStore} when the engine has no
 * bound (no policy bookkeeping at all), {@link BoundedStore} when it has one. The engine checks
 * arguments and its open state; a store does the rest of the {@link io.ringstore.spi.StorageEngine}
 * contract.
 *
 * <p>Thread-safety: implementations are thread-safe.
 */
sealed interface Store permits UnboundedStore, BoundedStore {

  @Nullable StoredRecord get(Bytes key);

  @Nullable StoredRecord compute(Bytes key, RecordUpdate update);

  Iterator<EngineEntry> iterator();

  void clear();

  EngineStats stats();

  /** How many records have been removed as expired so far (cheap: no walk of the map). */
  long expirationCount();
}
