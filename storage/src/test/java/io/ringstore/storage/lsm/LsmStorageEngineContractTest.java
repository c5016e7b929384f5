package io.ringstore.storage.lsm;

import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.testkit.StorageEngineContract;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The lsm engine honours the engine contract; each engine the kit opens gets a fresh directory. */
class LsmStorageEngineContractTest extends StorageEngineContract {

  @TempDir static Path root;
  private static final AtomicInteger DIRECTORIES = new AtomicInteger();

  @Override
  protected EngineSettings baseSettings(String cacheName, Env env, RemovalListener listener) {
    // small memtables, so that the kit's workloads also run through flushes and compactions
    return new EngineSettings(cacheName, EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED,
        EvictionPolicy.NO_EVICTION, env, listener, Map.of("wal.syncMode", "none", "memtable.bytes", "16384",
        "compaction.level0Trigger", "2", "compaction.level1Bytes", "65536", "compaction.targetFileBytes", "16384"));
  }

  @Override
  protected StorageEngine open(EngineSettings settings) {
    Map<String, String> options = new java.util.HashMap<>(settings.options());
    options.put(LsmStorageEngine.DIRECTORY, root.resolve("engine-" + DIRECTORIES.incrementAndGet()).toString());
    StorageEngine engine = new LsmStorageEngineFactory().open(new EngineSettings(settings.cacheName(),
        settings.maxEntries(), settings.maxBytes(), settings.evictionPolicy(), settings.env(),
        settings.removalListener(), options));
    return new InDirectory(engine, settings);
  }

  /** The engine as opened, reporting the kit's settings (without the directory this test adds). */
  private record InDirectory(StorageEngine engine, EngineSettings settings) implements StorageEngine {
    @Override
    public io.ringstore.spi.StoredRecord get(io.ringstore.spi.Bytes key) {
      return engine.get(key);
    }

    @Override
    public io.ringstore.spi.StoredRecord compute(io.ringstore.spi.Bytes key, io.ringstore.spi.RecordUpdate update) {
      return engine.compute(key, update);
    }

    @Override
    public java.util.Iterator<io.ringstore.spi.EngineEntry> iterator() {
      return engine.iterator();
    }

    @Override
    public void clear() {
      engine.clear();
    }

    @Override
    public io.ringstore.spi.EngineStats stats() {
      return engine.stats();
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  @Override
  protected Set<EvictionPolicy> supportedEvictionPolicies() {
    return Set.of();
  }
}
