package io.ringstore.cdi;

import java.lang.annotation.Annotation;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;

/**
 * The default {@link CacheResolverFactory} of the Ringstore interceptors: resolves a method's cache
 * by name in Ringstore's default cache manager for the application's class loader.
 *
 * <p>It differs from the reference implementation's {@code DefaultCacheResolverFactory} in two
 * ways: it names the Ringstore provider instead of calling {@code Caching.getCachingProvider()}
 * (which throws when a container exposes a second provider), and its resolvers look the cache up on
 * every invocation instead of holding the {@link Cache} found when the method was first analysed,
 * so a closed manager is obtained again and a destroyed or missing cache is created again (with a
 * default {@code MutableConfiguration}, logged at INFO) instead of failing with "cache is closed".
 *
 * <p>A missing exception cache ({@code @CacheResult(exceptionCacheName = ..)}) is created storing
 * by reference (Ringstore's default N = 1 allows it): a cached exception is rethrown as the same
 * object, and exceptions, which often hold state that does not serialise (or that the
 * deserialisation filter refuses), are never serialised. Declare the cache to choose otherwise.
 *
 * <p>Name it in {@code @CacheDefaults(cacheResolverFactory = RingstoreCacheResolverFactory.class)}
 * to use it where another factory is the default; it has a public no-argument constructor.
 *
 * <p>Thread-safety: thread-safe; the resolvers it returns are immutable.
 */
public final class RingstoreCacheResolverFactory implements CacheResolverFactory {

  // constant after construction
  private final CacheSource caches;

  /** A factory for the application's class loader (the thread's context class loader). */
  public RingstoreCacheResolverFactory() {
    this(CacheSource.applicationClassLoader());
  }

  /** A factory whose caches live in Ringstore's default manager for {@code classLoader}. */
  public RingstoreCacheResolverFactory(ClassLoader classLoader) {
    this(new CacheSource(Objects.requireNonNull(classLoader, "classLoader")));
  }

  RingstoreCacheResolverFactory(CacheSource caches) {
    this.caches = caches;
  }

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> cacheMethodDetails) {
    return new ByName(caches, cacheMethodDetails.getCacheName(),
        "@" + cacheMethodDetails.getCacheAnnotation().annotationType().getSimpleName() + " on "
            + cacheMethodDetails.getMethod(), true);
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> cacheMethodDetails) {
    String name = cacheMethodDetails.getCacheAnnotation().exceptionCacheName();
    if (name.isBlank()) {
      throw new IllegalArgumentException("@CacheResult on " + cacheMethodDetails.getMethod()
          + " has no exceptionCacheName (value '" + name + "'); an exception cache resolver needs one");
    }
    return new ByName(caches, name, "the exception cache of @CacheResult on " + cacheMethodDetails.getMethod(), false);
  }

  @Override
  public String toString() {
    return "RingstoreCacheResolverFactory[" + caches.classLoader() + "]";
  }

  /** Resolves one cache name on every call. Immutable. */
  private record ByName(CacheSource caches, String name, String purpose, boolean storeByValue)
      implements CacheResolver {
    @Override
    public <K, V> Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> cacheInvocationContext) {
      return caches.cache(name, purpose, storeByValue);
    }
  }
}
