package io.ringstore.cdi;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.annotation.CacheRemove;
import org.jspecify.annotations.Nullable;
import org.jsr107.ri.annotations.AbstractCacheRemoveEntryInterceptor;

/**
 * {@link CacheRemove}: removes the generated key. With {@code afterInvocation} (the default) the
 * removal follows a normal return, and follows an exception only if it passes
 * {@code evictFor}/{@code noEvictFor} (both empty: no exception leads to a removal); with
 * {@code afterInvocation = false} it comes before the method runs. The rules are the reference
 * implementation's ({@link AbstractCacheRemoveEntryInterceptor}).
 *
 * <p>Thread-safety: thread-safe; the container makes one instance per intercepted bean instance.
 */
@CacheRemove
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public final class CacheRemoveInterceptor extends AbstractCacheRemoveEntryInterceptor<InvocationContext>
    implements AddedByExtension {

  // constant after construction
  private final CacheLookup lookup;

  /** Made by the container. */
  @Inject
  public CacheRemoveInterceptor(CacheLookup lookup) {
    this.lookup = lookup;
  }

  /** The interception. */
  @AroundInvoke
  public @Nullable Object intercept(InvocationContext invocation) throws Exception {
    try {
      return cacheRemoveEntry(lookup, invocation);
    } catch (Throwable t) {
      throw CacheResultInterceptor.rethrowable(t);
    }
  }

  @Override
  protected @Nullable Object proceed(InvocationContext invocation) throws Exception {
    return invocation.proceed();
  }
}
