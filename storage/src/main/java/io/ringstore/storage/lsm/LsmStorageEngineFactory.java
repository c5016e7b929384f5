package io.ringstore.storage.lsm;

import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.StorageEngine;
import io.ringstore.spi.StorageEngineFactory;

/**
 * Opens {@link LsmStorageEngine}s; registered with {@link java.util.ServiceLoader} under the name
 * {@value #NAME}.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class LsmStorageEngineFactory implements StorageEngineFactory {

  /** The name a cache's configuration uses to choose this engine. */
  public static final String NAME = "lsm";

  /** The factory; {@link java.util.ServiceLoader} needs a public no-argument constructor. */
  public LsmStorageEngineFactory() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StorageEngine open(EngineSettings settings) {
    return LsmStorageEngine.open(settings);
  }

  @Override
  public String toString() {
    return "LsmStorageEngineFactory[" + NAME + "]";
  }
}
