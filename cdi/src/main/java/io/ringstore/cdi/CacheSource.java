package io.ringstore.cdi;

import io.ringstore.provider.RingstoreCachingProvider;
import java.lang.System.Logger.Level;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * Ringstore's default cache manager for one class loader, looked up again whenever it was closed,
 * and caches by name, created with a default {@link MutableConfiguration} when missing.
 *
 * <p>The provider is named ({@code Caching.getCachingProvider(RingstoreCachingProvider's name,
 * loader)}): {@code Caching.getCachingProvider()} throws when a container exposes a second provider.
 * Nothing here holds a {@link Cache} across calls, so closing the provider or the manager (as many
 * TCK tests do after each test) or destroying a cache never leaves a stale one behind.
 *
 * <p>Invariants: {@link #manager()} returns an open manager (unless it is closed concurrently by
 * someone else); the manager has the provider's default URI and {@link #classLoader()}.
 *
 * <p>Thread-safety: thread-safe; the manager reference is volatile and replaced under the object's
 * lock.
 */
final class CacheSource {

  private static final System.Logger LOG = System.getLogger(CacheSource.class.getName());

  /** The provider's class name, as {@link Caching#getCachingProvider(String, ClassLoader)} wants it. */
  static final String PROVIDER = RingstoreCachingProvider.class.getName();

  // constant after construction
  private final ClassLoader loader;

  // replaced under this object's lock when closed
  private volatile @Nullable CacheManager manager;

  CacheSource(ClassLoader loader) {
    this.loader = loader;
  }

  /** The application's class loader: the thread's context class loader, else this module's. */
  static ClassLoader applicationClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : CacheSource.class.getClassLoader();
  }

  ClassLoader classLoader() {
    return loader;
  }

  /** An open Ringstore cache manager with the default URI for {@link #classLoader()}. */
  CacheManager manager() {
    CacheManager current = manager;
    if (current != null && !current.isClosed()) {
      return current;
    }
    synchronized (this) {
      current = manager;
      if (current == null || current.isClosed()) {
        CachingProvider provider = Caching.getCachingProvider(PROVIDER, loader);
        current = provider.getCacheManager(provider.getDefaultURI(), loader);
        manager = current;
      }
      return current;
    }
  }

  /**
   * The cache named {@code name}, created with a default {@link MutableConfiguration} (store by
   * value, no expiry, statistics off) if the manager has none; {@code purpose} says who asked, for
   * the log line.
   */
  <K, V> Cache<K, V> cache(String name, String purpose) {
    return cache(name, purpose, true);
  }

  /**
   * As {@link #cache(String, String)}; a cache this creates stores by value or, when
   * {@code storeByValue} is false, by reference.
   */
  <K, V> Cache<K, V> cache(String name, String purpose, boolean storeByValue) {
    for (int attempt = 1; ; attempt++) {
      CacheManager current = manager();
      try {
        Cache<K, V> cache = current.getCache(name);
        if (cache != null) {
          return cache;
        }
        try {
          cache = current.createCache(name, new MutableConfiguration<K, V>().setStoreByValue(storeByValue));
          LOG.log(Level.INFO, "cache ''{0}'' did not exist in cache manager {1}; created it for {2} with a default "
              + "MutableConfiguration (store by {3}, no expiry, statistics off)", name, current.getURI(), purpose,
              storeByValue ? "value" : "reference");
          return cache;
        } catch (CacheException e) {
          // created by another thread since getCache: use that one
          Cache<K, V> raced = current.getCache(name);
          if (raced != null) {
            return raced;
          }
          throw e;
        }
      } catch (IllegalStateException e) {
        // the manager was closed between manager() and its use: once more with a fresh one
        if (attempt >= 3 || !current.isClosed()) {
          throw e;
        }
      }
    }
  }
}
