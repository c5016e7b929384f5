package io.ringstore.storage.memory;

import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.testkit.StorageEngineContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The memory engine against the engine test kit, unbounded (JCache's default); the kit's
 * {@code Bounds} and {@code Model} tests open bounded engines of every policy. After every test
 * each engine's internal invariants are checked. {@link BoundedMemoryStorageEngineContractTest}
 * runs the kit again with every engine bounded.
 */
class MemoryStorageEngineContractTest extends StorageEngineContract {

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
}
