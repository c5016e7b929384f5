package io.ringstore.bench;

import java.util.Objects;
import java.util.SplittableRandom;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

/**
 * One provider's cache, created fresh from its {@code CachingProvider} (picked by class name),
 * filled with every key of a {@link Workload} and spot-checked before any measurement, so that a
 * provider that loses or garbles entries fails the trial instead of reporting a fast figure.
 *
 * <p>Closing the fixture closes its {@code CacheManager} (not the provider, which
 * {@code Caching} keeps for later managers).
 *
 * <p>Thread-safety: the cache is as thread-safe as its provider makes it (all four are
 * thread-safe); opening and closing are done by one thread.
 */
public final class CacheFixture implements AutoCloseable {
  /** The name of the cache every benchmark uses. */
  public static final String CACHE_NAME = "bench";

  private static final int SPOT_CHECKS = 1_000;

  // constant after construction
  private final Provider provider;
  private final StoreMode mode;
  private final CacheManager manager;
  private final Cache<String, String> cache;

  private CacheFixture(Provider provider, StoreMode mode, CacheManager manager,
      Cache<String, String> cache) {
    this.provider = provider;
    this.mode = mode;
    this.manager = manager;
    this.cache = cache;
  }

  /**
   * Creates the cache on a new {@code CacheManager} of {@code provider}, puts every key of
   * {@code workload} and checks a sample of them.
   *
   * @throws IllegalStateException if the provider's class is not on the class path, or the
   *     cache returns a wrong value for a key it was given
   */
  public static CacheFixture open(Provider provider, StoreMode mode, Workload workload) {
    ClassLoader loader = CacheFixture.class.getClassLoader();
    if (!provider.availableIn(loader)) {
      throw new IllegalStateException("provider '" + provider.param() + "': class "
          + provider.className() + " is not on the class path");
    }
    CachingProvider cachingProvider = Caching.getCachingProvider(provider.className(), loader);
    CacheManager manager = cachingProvider.getCacheManager(
        cachingProvider.getDefaultURI(), loader);
    if (manager.getCache(CACHE_NAME) != null) {
      manager.destroyCache(CACHE_NAME);
    }
    Cache<String, String> cache = manager.createCache(CACHE_NAME, mode.configuration());
    CacheFixture fixture = new CacheFixture(provider, mode, manager, cache);
    try {
      fixture.populate(workload);
      fixture.check(workload);
    } catch (RuntimeException e) {
      fixture.close();
      throw e;
    }
    return fixture;
  }

  private void populate(Workload workload) {
    for (int i = 0; i < workload.keyCount(); i++) {
      cache.put(workload.key(i), workload.value(i));
    }
  }

  private void check(Workload workload) {
    SplittableRandom random = new SplittableRandom(workload.seed());
    for (int n = 0; n < SPOT_CHECKS; n++) {
      int i = random.nextInt(workload.keyCount());
      String got = cache.get(workload.key(i));
      if (!Objects.equals(got, workload.value(i))) {
        throw new IllegalStateException(String.format(
            "provider '%s', config %s: get(%s) returned %s after put; expected the 100-char value"
                + " put for it", provider.param(), mode.param(), workload.key(i),
            got == null ? "null" : "a different value"));
      }
    }
  }

  /** The cache under test. */
  public Cache<String, String> cache() {
    return cache;
  }

  /** Which provider this is. */
  public Provider provider() {
    return provider;
  }

  /** Which configuration the cache was created with. */
  public StoreMode mode() {
    return mode;
  }

  @Override
  public void close() {
    try {
      manager.destroyCache(CACHE_NAME);
    } finally {
      manager.close();
    }
  }
}
