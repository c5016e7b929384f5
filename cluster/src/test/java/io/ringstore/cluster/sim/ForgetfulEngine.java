package io.ringstore.cluster.sim;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StoredRecord;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * A broken engine for the test that proves the simulation's checker is not vacuous: it answers
 * every write as if it had stored it ({@link #compute} returns the new record) but keeps nothing,
 * so every acknowledged write is lost and the checker must say so.
 *
 * <p>Thread-safety: as the engine it wraps.
 */
final class ForgetfulEngine implements StorageEngine {
  private final StorageEngine engine;

  ForgetfulEngine(StorageEngine engine) {
    this.engine = engine;
  }

  @Override
  public EngineSettings settings() {
    return engine.settings();
  }

  @Override
  public @Nullable StoredRecord get(Bytes key) {
    return engine.get(key);
  }

  @Override
  public @Nullable StoredRecord compute(Bytes key, RecordUpdate update) {
    StoredRecord[] made = new StoredRecord[1];
    engine.compute(key, (k, current) -> {
      made[0] = update.apply(k, current);
      return current; // the lie: the new record is answered, never kept
    });
    return made[0];
  }

  @Override
  public Iterator<EngineEntry> iterator() {
    return engine.iterator();
  }

  @Override
  public void clear() {
    engine.clear();
  }

  @Override
  public EngineStats stats() {
    return engine.stats();
  }

  @Override
  public void close() {
    engine.close();
  }
}
