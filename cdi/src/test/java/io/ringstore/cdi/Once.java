package io.ringstore.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.annotation.Annotation;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/** Each annotation once, over a resolver factory that counts how often an interceptor resolved its cache. */
@ApplicationScoped
@CacheDefaults(cacheName = "once", cacheResolverFactory = Once.CountingResolverFactory.class)
public class Once {

  @CacheResult
  public String get(String id) {
    return "v" + id;
  }

  @CachePut
  public void put(String id, @CacheValue String value) {}

  @CacheRemove
  public void remove(String id) {}

  @CacheRemoveAll
  public void clear() {}

  /** A bean: the interceptors find it through the container. Each interceptor run resolves the cache once. */
  @ApplicationScoped
  public static class CountingResolverFactory implements CacheResolverFactory {
    private final AtomicInteger resolutions = new AtomicInteger();
    private final RingstoreCacheResolverFactory delegate = new RingstoreCacheResolverFactory();

    public int resolutions() {
      return resolutions.get();
    }

    @Override
    public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
      return counting(delegate.getCacheResolver(details));
    }

    @Override
    public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
      return counting(delegate.getExceptionCacheResolver(details));
    }

    private CacheResolver counting(CacheResolver resolver) {
      return new CacheResolver() {
        @Override
        public <K, V> Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> context) {
          resolutions.incrementAndGet();
          return resolver.resolveCache(context);
        }
      };
    }
  }
}
