package io.ringstore.cdi;

import io.ringstore.provider.RingstoreCachingProvider;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/** Weld SE containers for the tests: no discovery, the extension added explicitly, the given beans. */
final class Containers {
  private Containers() {}

  static WeldContainer start(Class<?> testClass, Class<?>... beanClasses) {
    return new Weld(testClass.getSimpleName())
        .disableDiscovery()
        .addExtension(new CacheAnnotationsExtension())
        .addBeanClasses(beanClasses)
        .initialize();
  }

  /** The manager the interceptors use in these tests: Ringstore's default one for the test's class loader. */
  static CacheManager manager() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    CachingProvider provider = Caching.getCachingProvider(RingstoreCachingProvider.class.getName(), loader);
    return provider.getCacheManager(provider.getDefaultURI(), loader);
  }

  /** Empties every cache of {@link #manager()}. */
  static void clearAll() {
    CacheManager manager = manager();
    for (String name : manager.getCacheNames()) {
      Cache<?, ?> cache = manager.getCache(name);
      if (cache != null) {
        cache.clear();
      }
    }
  }
}
