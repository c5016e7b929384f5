package io.ringstore.storage.memory;

import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.testkit.StorageEngineContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The engine test kit again with every engine the kit opens bounded (loosely enough that the
 * generic clauses hold: 100,000 entries, 64 MiB, LRU), so that each clause also runs through the
 * bounded store and its eviction bookkeeping.
 */
class BoundedMemoryStorageEngineContractTest extends StorageEngineContract {

  private final List<MemoryStorageEngine> engines = new ArrayList<>();

  @Override
  protected StorageEngine open(EngineSettings settings) {
    StorageEngine engine = new MemoryStorageEngineFactory().open(settings);
    engines.add((MemoryStorageEngine) engine);
    return engine;
  }

  @AfterEach
  void invariantsHold() {
    engines.forEach(MemoryStorageEngine::checkInvariants);
  }

  @Override
  protected EngineSettings baseSettings(String cacheName, Env env, RemovalListener listener) {
    return new EngineSettings(cacheName, 100_000, 64L << 20, EvictionPolicy.LRU, env, listener, Map.of());
  }
}
