package io.ringstore.storage.memory;

import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StorageEngineFactory;

/**
 * Opens {@link MemoryStorageEngine}s; registered with {@link java.util.ServiceLoader} under the
 * name {@value #NAME}.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class MemoryStorageEngineFactory implements StorageEngineFactory {

  /** The name a cache's configuration uses to choose this engine. */
  public static final String NAME = "memory";

  /** The factory; {@link java.util.ServiceLoader} needs a public no-argument constructor. */
  public MemoryStorageEngineFactory() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StorageEngine open(EngineSettings settings) {
    return new MemoryStorageEngine(settings);
  }

  @Override
  public String toString() {
    return "MemoryStorageEngineFactory[" + NAME + "]";
  }
}
