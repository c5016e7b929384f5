package io.ringstore.cdi;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheResolverFactory;
import org.jsr107.ri.annotations.AbstractCacheLookupUtil;
import org.jsr107.ri.annotations.AbstractInternalCacheInvocationContext;
import org.jsr107.ri.annotations.AbstractInternalCacheKeyInvocationContext;
import org.jsr107.ri.annotations.DefaultCacheKeyGenerator;
import org.jsr107.ri.annotations.InternalCacheInvocationContext;
import org.jsr107.ri.annotations.InternalCacheKeyInvocationContext;
import org.jsr107.ri.annotations.StaticCacheInvocationContext;
import org.jsr107.ri.annotations.StaticCacheKeyInvocationContext;

/**
 * What the interceptors know about an annotated method, over jakarta {@link InvocationContext}:
 * the reference implementation's {@link AbstractCacheLookupUtil} (which annotation, "one cache
 * annotation per method", {@code @CacheDefaults}, the spec's default cache name
 * {@code package.Class.method(param.Type,...)}, {@code @CacheKey}/{@code @CacheValue} parameters,
 * key generator and resolver factory selection), analysed once per (method, bean class).
 *
 * <p>Differences from the RI's CDI module: {@code @CacheDefaults} is looked up from the bean's own
 * class (past the container's proxy subclass), not from the class declaring the method, so
 * defaults declared on a subclass apply to the methods it inherits; the default resolver factory is
 * {@link RingstoreCacheResolverFactory}; key generators and resolver factories named in annotations
 * are CDI beans when the container has one, else made with their public no-argument constructor.
 *
 * <p>Also holds the container's {@link LoadFlights} (the in-flight {@code @CacheResult} loads) and
 * its {@link CacheSource}, so every interceptor instance and producer of one container shares them.
 *
 * <p>A {@code @Singleton} (no client proxy): added by {@link CacheAnnotationsExtension} only.
 *
 * <p>Thread-safety: thread-safe (the RI's method table is a concurrent map; the rest is immutable
 * or thread-safe).
 */
@Singleton
public class CacheLookup extends AbstractCacheLookupUtil<InvocationContext> implements AddedByExtension {

  // constant after construction
  private final BeanManager beans;
  private final CacheKeyGenerator keyGenerator = new DefaultCacheKeyGenerator();
  private final CacheSource caches = new CacheSource(CacheSource.applicationClassLoader());
  private final CacheResolverFactory resolverFactory = new RingstoreCacheResolverFactory(caches);
  private final LoadFlights flights = new LoadFlights();

  /** Made by the container. */
  @Inject
  public CacheLookup(BeanManager beans) {
    this.beans = beans;
  }

  CacheSource caches() {
    return caches;
  }

  LoadFlights flights() {
    return flights;
  }

  @Override
  protected InternalCacheKeyInvocationContext<? extends Annotation> createCacheKeyInvocationContextImpl(
      StaticCacheKeyInvocationContext<? extends Annotation> details, InvocationContext invocation) {
    return new KeyContext<>(details, invocation);
  }

  @Override
  protected InternalCacheInvocationContext<? extends Annotation> createCacheInvocationContextImpl(
      StaticCacheInvocationContext<? extends Annotation> details, InvocationContext invocation) {
    return new Context<>(details, invocation);
  }

  @Override
  protected Class<?> getTargetClass(InvocationContext invocation) {
    Object target = invocation.getTarget();
    return target == null ? invocation.getMethod().getDeclaringClass() : beanClass(target.getClass());
  }

  /**
   * The bean's own class: {@code type} without the subclasses a container generates for
   * interception (Weld's {@code Foo$Proxy$_$$_WeldSubclass}, OpenWebBeans' {@code Foo$$Owb...}).
   */
  static Class<?> beanClass(Class<?> type) {
    Class<?> c = type;
    while ((c.isSynthetic() || c.getName().contains("$$")) && c.getSuperclass() != null
        && c.getSuperclass() != Object.class) {
      c = c.getSuperclass();
    }
    return c;
  }

  @Override
  protected Method getMethod(InvocationContext invocation) {
    return invocation.getMethod();
  }

  @Override
  protected <T> T getObjectByType(Class<T> type) {
    Instance<T> instance = beans.createInstance().select(type);
    if (instance.isResolvable()) {
      return instance.get();
    }
    try {
      return type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot make a " + type.getName() + " named in a cache annotation: it is not a "
          + "CDI bean (" + (instance.isAmbiguous() ? "ambiguous" : "unsatisfied") + ") and has no usable public "
          + "no-argument constructor (" + e + ")", e);
    }
  }

  @Override
  protected CacheKeyGenerator getDefaultCacheKeyGenerator() {
    return keyGenerator;
  }

  @Override
  protected CacheResolverFactory getDefaultCacheResolverFactory() {
    return resolverFactory;
  }

  /** The RI's keyed invocation context over jakarta {@link InvocationContext}. */
  private static final class KeyContext<A extends Annotation>
      extends AbstractInternalCacheKeyInvocationContext<InvocationContext, A> {
    KeyContext(StaticCacheKeyInvocationContext<A> details, InvocationContext invocation) {
      super(details, invocation);
    }

    @Override
    protected Object[] getParameters(InvocationContext invocation) {
      return invocation.getParameters();
    }

    @Override
    protected Method getMethod(InvocationContext invocation) {
      return invocation.getMethod();
    }

    @Override
    protected Object getTarget(InvocationContext invocation) {
      return invocation.getTarget();
    }
  }

  /** The RI's invocation context over jakarta {@link InvocationContext}. */
  private static final class Context<A extends Annotation>
      extends AbstractInternalCacheInvocationContext<InvocationContext, A> {
    Context(StaticCacheInvocationContext<A> details, InvocationContext invocation) {
      super(details, invocation);
    }

    @Override
    protected Object[] getParameters(InvocationContext invocation) {
      return invocation.getParameters();
    }

    @Override
    protected Method getMethod(InvocationContext invocation) {
      return invocation.getMethod();
    }

    @Override
    protected Object getTarget(InvocationContext invocation) {
      return invocation.getTarget();
    }
  }
}
