package io.ringstore.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import javax.cache.Cache;
import javax.cache.annotation.CachePut;
import org.jspecify.annotations.Nullable;
import org.jsr107.ri.annotations.AbstractCachePutInterceptor;
import org.jsr107.ri.annotations.CachePutMethodDetails;
import org.jsr107.ri.annotations.InternalCacheKeyInvocationContext;

/**
 * {@link CachePut}: puts the {@code @CacheValue} parameter under the key generated from the other
 * (or the {@code @CacheKey}) parameters. With {@code afterInvocation} (the default) the put follows
 * a normal return, and follows an exception only if it passes {@code cacheFor}/{@code noCacheFor}
 * (both empty: no exception leads to a put); with {@code afterInvocation = false} the put comes
 * before the method runs, whatever it then does. The rules are the reference implementation's
 * ({@link AbstractCachePutInterceptor}).
 *
 * <p>A null {@code @CacheValue} removes the key instead ({@link Cache#put} takes no null, and a
 * stale value must not survive an update to "nothing").
 *
 * <p>Thread-safety: thread-safe; the container makes one instance per intercepted bean instance.
 */
@CachePut
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public final class CachePutInterceptor extends AbstractCachePutInterceptor<InvocationContext>
    implements AddedByExtension {

  // constant after construction
  private final CacheLookup lookup;

  /** Made by the container. */
  @Inject
  public CachePutInterceptor(CacheLookup lookup) {
    this.lookup = lookup;
  }

  /** The interception. */
  @AroundInvoke
  public @Nullable Object intercept(InvocationContext invocation) throws Exception {
    try {
      return cachePut(lookup, invocation);
    } catch (Throwable t) {
      throw CacheResultInterceptor.rethrowable(t);
    }
  }

  @Override
  protected @Nullable Object proceed(InvocationContext invocation) throws Exception {
    return invocation.proceed();
  }

  @Override
  protected void cacheValue(InternalCacheKeyInvocationContext<? extends Annotation> context,
      CachePutMethodDetails details, @Nullable Object value) {
    if (value != null) {
      super.cacheValue(context, details, value);
      return;
    }
    Cache<Object, Object> cache = details.getCacheResolver().resolveCache(context);
    cache.remove(details.getCacheKeyGenerator().generateCacheKey(context));
  }
}
