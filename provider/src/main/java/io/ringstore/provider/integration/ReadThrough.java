package io.ringstore.provider.integration;

import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import org.jspecify.annotations.Nullable;

/**
 * A cache's {@link CacheLoader} with the spec's exception rule: anything the loader throws reaches
 * the caller as a {@link CacheLoaderException} (wrapped unless it already is one).
 *
 * <p>Thread-safety: as thread-safe as the loader (JCache requires loaders to be thread-safe).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ReadThrough<K, V> {
  private final CacheLoader<K, V> loader;

  /** Wraps {@code loader}. */
  public ReadThrough(CacheLoader<K, V> loader) {
    this.loader = loader;
  }

  /** The loader. */
  public CacheLoader<K, V> loader() {
    return loader;
  }

  /** The loader's value for {@code key}, or {@code null} if it has none. */
  public @Nullable V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("CacheLoader " + loader.getClass().getName() + " failed to load a key: " + e, e);
    }
  }

  /** The loader's values for {@code keys}; keys it has no value for may be missing or map to null. */
  public Map<K, V> loadAll(Iterable<? extends K> keys) {
    Map<K, V> loaded;
    try {
      loaded = loader.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("CacheLoader " + loader.getClass().getName() + " failed to load keys: " + e, e);
    }
    return loaded == null ? Map.of() : loaded;
  }
}
