package io.ringstore.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Opens storage engines of one kind. Factories are found with {@link ServiceLoader} (list yours in
 * {@code META-INF/services/io.ringstore.spi.StorageEngineFactory}) and chosen by {@link #name()},
 * as a JDBC driver is chosen by URL: a cache's configuration names the engine.
 *
 * <p>Thread-safety: factories must be thread-safe and stateless apart from caches of their own.
 */
public interface StorageEngineFactory {

  /** The name a configuration uses to pick this factory, e.g. {@code memory} or {@code lsm}. */
  String name();

  /**
   * Opens an engine for {@code settings}.
   *
   * @throws IllegalArgumentException naming the setting, the value and the allowed range if the
   *     settings do not suit this engine (an unknown option, a bound it cannot honour)
   */
  StorageEngine open(EngineSettings settings);

  /**
   * The factory named {@code name} among those {@code loader} can see.
   *
   * @throws IllegalArgumentException naming the engine and the engines that are available
   */
  static StorageEngineFactory named(String name, ClassLoader loader) {
    Map<String, StorageEngineFactory> found = new TreeMap<>();
    for (StorageEngineFactory f : ServiceLoader.load(StorageEngineFactory.class, loader)) {
      found.putIfAbsent(f.name(), f);
      if (f.name().equals(name)) {
        return f;
      }
    }
    List<String> names = new ArrayList<>(found.keySet());
    throw new IllegalArgumentException("storageEngine = '" + name + "' is not available; available engines: " + names);
  }
}
