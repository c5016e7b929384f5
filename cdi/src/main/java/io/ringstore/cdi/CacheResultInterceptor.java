package io.ringstore.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.ExecutionException;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;
import org.jspecify.annotations.Nullable;
import org.jsr107.ri.annotations.CacheResultMethodDetails;
import org.jsr107.ri.annotations.ClassFilter;
import org.jsr107.ri.annotations.InternalCacheKeyInvocationContext;
import org.jsr107.ri.annotations.StaticCacheKeyInvocationContext;

/**
 * {@link CacheResult}: returns the cached value for the generated key, else runs the method and
 * caches what it returns; stampede-free.
 *
 * <p>Semantics (JCache 1.1.1, section 11 and the annotation's Javadoc):
 * <ul>
 *   <li>unless {@code skipGet}, a cached value is returned without running the method, and a
 *       cached exception (when {@code exceptionCacheName} is set) is thrown without running it;
 *   <li>a non-null result is put under the key; a null result is not cached (JCache 1.1 has no
 *       {@code cacheNull} member and {@link Cache#put} takes no null), so the method runs again
 *       next time;
 *   <li>a thrown exception is put in the exception cache (if named) when it passes
 *       {@code cachedExceptions}/{@code nonCachedExceptions} (both empty: every exception), and is
 *       rethrown either way;
 *   <li>{@code skipGet}: the method always runs (no cache or exception-cache check), its result
 *       and exception are cached as above; such calls are not merged with concurrent ones.
 * </ul>
 *
 * <p>Stampede-freedom: concurrent calls that miss for the same cache and key run the method once.
 * The first registers a flight in the container's {@link LoadFlights}, checks the cache again (a
 * flight that just landed has put its value), runs the method, puts, completes the flight and
 * removes it; the others wait for the flight and return its result or throw its exception (the same
 * object; the value is the owner's, not a copy read back from the cache). A call for a key that
 * the same thread is already loading (the method calls itself through its proxy) runs without
 * waiting, so it cannot deadlock on itself. Two threads that each load a key and call into the
 * other's key in opposite order can still wait on each other, as with any per-key lock. Waiting has
 * no timeout (the method's own duration bounds it); an interrupt ends the wait with a
 * {@link CacheException} and the interrupt flag set. A {@code @CachePut} or {@code @CacheRemove} of the
 * key while a load runs does not cancel the load: its put can land after the removal, as with any
 * cache-aside get-then-put.
 *
 * <p>Thread-safety: thread-safe; the container makes one instance per intercepted bean instance.
 */
@CacheResult
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public final class CacheResultInterceptor implements AddedByExtension {

  private static final System.Logger LOG = System.getLogger(CacheResultInterceptor.class.getName());

  // constant after construction
  private final CacheLookup lookup;

  /** Made by the container. */
  @Inject
  public CacheResultInterceptor(CacheLookup lookup) {
    this.lookup = lookup;
  }

  /** The interception. */
  @AroundInvoke
  public @Nullable Object cacheResult(InvocationContext invocation) throws Exception {
    InternalCacheKeyInvocationContext<? extends Annotation> context = lookup.getCacheKeyInvocationContext(invocation);
    StaticCacheKeyInvocationContext<? extends Annotation> details = context.getStaticCacheKeyInvocationContext();
    if (!(details instanceof CacheResultMethodDetails method)) {
      throw new IllegalStateException("@CacheResult interceptor called for " + invocation.getMethod() + ", which is "
          + "annotated " + details.getCacheAnnotation());
    }
    CacheResult annotation = method.getCacheAnnotation();
    Cache<Object, Object> cache = method.getCacheResolver().resolveCache(context);
    CacheResolver exceptionResolver = method.getExceptionCacheResolver();
    @Nullable Cache<Object, Throwable> exceptionCache =
        exceptionResolver == null ? null : exceptionResolver.resolveCache(context);
    GeneratedCacheKey key = method.getCacheKeyGenerator().generateCacheKey(context);

    if (annotation.skipGet()) {
      return run(invocation, annotation, cache, exceptionCache, key);
    }
    Object cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    throwIfCached(exceptionCache, key);

    LoadFlights flights = lookup.flights();
    LoadFlights.Flight mine = new LoadFlights.Flight();
    LoadFlights.Flight running = flights.takeOff(cache, key, mine);
    if (running != null) {
      if (running.owner == Thread.currentThread()) {
        // re-entrant: this thread is already loading this key further up its stack
        return run(invocation, annotation, cache, exceptionCache, key);
      }
      return await(running, cache, invocation);
    }
    try {
      cached = cache.get(key);
      if (cached != null) {
        mine.outcome.complete(cached);
        return cached;
      }
      throwIfCached(exceptionCache, key);
      Object result = run(invocation, annotation, cache, exceptionCache, key);
      mine.outcome.complete(result);
      return result;
    } catch (Throwable t) {
      mine.outcome.completeExceptionally(t);
      throw t;
    } finally {
      flights.land(cache, key, mine);
    }
  }

  /** Runs the method, caches its result or (by the filters) its exception. */
  private static @Nullable Object run(InvocationContext invocation, CacheResult annotation, Cache<Object, Object> cache,
      @Nullable Cache<Object, Throwable> exceptionCache, GeneratedCacheKey key) throws Exception {
    Object result;
    try {
      result = invocation.proceed();
    } catch (Exception | Error t) {
      if (exceptionCache != null
          && ClassFilter.isIncluded(t, annotation.cachedExceptions(), annotation.nonCachedExceptions(), true)) {
        try {
          exceptionCache.put(key, t);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "cannot cache the " + t.getClass().getName() + " thrown by "
              + invocation.getMethod() + " in exception cache '" + exceptionCache.getName() + "': " + e, e);
        }
      }
      throw t;
    }
    if (result != null) {
      cache.put(key, result);
    }
    return result;
  }

  private static void throwIfCached(@Nullable Cache<Object, Throwable> exceptionCache, GeneratedCacheKey key)
      throws Exception {
    if (exceptionCache != null) {
      Throwable cached = exceptionCache.get(key);
      if (cached != null) {
        throw rethrowable(cached);
      }
    }
  }

  private static @Nullable Object await(LoadFlights.Flight running, Cache<?, ?> cache, InvocationContext invocation)
      throws Exception {
    running.waiters.incrementAndGet();
    try {
      return running.outcome.get();
    } catch (ExecutionException e) {
      throw rethrowable(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted while waiting for the concurrent call of " + invocation.getMethod()
          + " that loads the same key into cache '" + cache.getName() + "'", e);
    } finally {
      running.waiters.decrementAndGet();
    }
  }

  /** {@code t} as something an {@code @AroundInvoke} method may throw: Errors are thrown as they are. */
  static Exception rethrowable(Throwable t) {
    if (t instanceof Error error) {
      throw error;
    }
    if (t instanceof Exception exception) {
      return exception;
    }
    return new UndeclaredThrowableException(t);
  }
}
