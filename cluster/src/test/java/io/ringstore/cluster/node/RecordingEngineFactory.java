package io.ringstore.cluster.node;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineEntry;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EngineStats;
import io.ringstore.spi.RecordUpdate;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StorageEngineFactory;
import io.ringstore.spi.StoredRecord;
import io.ringstore.storage.memory.MemoryStorageEngineFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A test engine, {@value #NAME}: the memory engine, recording which of {@code clear} and
 * {@code close} the node called on it, in order. Found by {@code ServiceLoader} through the test
 * class path.
 */
public final class RecordingEngineFactory implements StorageEngineFactory {
  static final String NAME = "recording";

  /** The calls on every engine this factory opened, per cache name, in order (tests run one at a time). */
  static final java.util.Map<String, List<String>> CALLS = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StorageEngine open(EngineSettings settings) {
    List<String> calls = new ArrayList<>();
    CALLS.put(settings.cacheName(), calls);
    StorageEngine memory = new MemoryStorageEngineFactory().open(settings);
    return new StorageEngine() {
      @Override
      public EngineSettings settings() {
        return memory.settings();
      }

      @Override
      public @Nullable StoredRecord get(Bytes key) {
        return memory.get(key);
      }

      @Override
      public @Nullable StoredRecord compute(Bytes key, RecordUpdate update) {
        return memory.compute(key, update);
      }

      @Override
      public Iterator<EngineEntry> iterator() {
        return memory.iterator();
      }

      @Override
      public void clear() {
        calls.add("clear");
        memory.clear();
      }

      @Override
      public EngineStats stats() {
        return memory.stats();
      }

      @Override
      public void close() {
        calls.add("close");
        memory.close();
      }
    };
  }
}
