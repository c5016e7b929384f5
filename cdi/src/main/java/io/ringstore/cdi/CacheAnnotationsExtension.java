package io.ringstore.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.Interceptor;
import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import javax.cache.Caching;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import org.jspecify.annotations.Nullable;

/**
 * The portable extension that switches the JCache annotations on in a jakarta CDI container: add
 * {@code io.ringstore:ringstore-cdi} to the application and nothing else (no {@code beans.xml}).
 *
 * <p>On {@link BeforeBeanDiscovery} it
 * <ol>
 *   <li>makes {@link CacheResult}, {@link CachePut}, {@link CacheRemove} and {@link CacheRemoveAll}
 *       interceptor bindings with jakarta {@link Nonbinding} on every member. The annotations carry
 *       the {@code javax.enterprise} {@code @Nonbinding}, which a jakarta container does not see, so
 *       {@code addInterceptorBinding(CacheResult.class)} fails to deploy (WELD-001121: "member of
 *       array type or annotation type must be annotated @NonBinding");
 *   <li>adds the four interceptors (each enabled by {@code @Priority(LIBRARY_BEFORE)}, so no
 *       {@code beans.xml} lists them), {@link CacheLookup} and {@link CacheProducers} as annotated
 *       types. The interceptor classes carry their binding and {@code @Priority} but not
 *       {@code @Interceptor}: the extension adds it, so a container that scans the jar as an
 *       implicit bean archive finds no bean-defining annotation in it.
 * </ol>
 * Any other appearance of those classes (an explicit bean archive, {@code Weld.addBeanClass}) is
 * vetoed in {@link ProcessAnnotatedType} (the added copies carry a private marker annotation), so
 * each interceptor exists once and runs once per call.
 *
 * <p>On {@link BeforeShutdown} (the application is stopping or being undeployed) it closes every
 * Ringstore cache manager made for the application's class loader (the thread context loader when
 * the container booted it), as {@link javax.cache.spi.CachingProvider#close(ClassLoader)} does: the
 * caches, their statistics MBeans and the threads behind them go with the application, and
 * nothing keeps its class loader alive.
 *
 * <p>Note for Weld SE: {@code Weld.disableDiscovery()} also skips service-loaded extensions; add
 * this one with {@code addExtension(new CacheAnnotationsExtension())}.
 *
 * <p>Thread-safety: the container calls observers from one thread at a time (boot, then
 * shutdown); the one field is written at boot.
 */
public final class CacheAnnotationsExtension implements Extension {

  private static final System.Logger LOG = System.getLogger(CacheAnnotationsExtension.class.getName());

  /** The annotations that become interceptor bindings. */
  static final List<Class<? extends Annotation>> BINDINGS =
      List.of(CacheResult.class, CachePut.class, CacheRemove.class, CacheRemoveAll.class);

  /** The interceptors, one per binding. */
  static final List<Class<?>> INTERCEPTORS = List.of(CacheResultInterceptor.class, CachePutInterceptor.class,
      CacheRemoveInterceptor.class, CacheRemoveAllInterceptor.class);

  /** The other beans the extension adds. */
  static final List<Class<?>> BEANS = List.of(CacheLookup.class, CacheProducers.class);

  // the application's class loader, seen at boot
  private @Nullable ClassLoader applicationLoader;

  /** Created by the container's service loader (or by {@code Weld.addExtension}). */
  public CacheAnnotationsExtension() {}

  void register(@Observes BeforeBeanDiscovery event) {
    applicationLoader = CacheSource.applicationClassLoader();
    for (Class<? extends Annotation> binding : BINDINGS) {
      event.configureInterceptorBinding(binding).methods().forEach(member -> member.add(Nonbinding.Literal.INSTANCE));
    }
    for (Class<?> type : INTERCEPTORS) {
      event.addAnnotatedType(type, id(type)).add(RegisteredLiteral.INSTANCE).add(InterceptorLiteral.INSTANCE);
    }
    for (Class<?> type : BEANS) {
      event.addAnnotatedType(type, id(type)).add(RegisteredLiteral.INSTANCE);
    }
    LOG.log(Level.DEBUG, "JCache annotation interceptors registered: {0}", INTERCEPTORS);
  }

  /** Closes the Ringstore cache managers of the application that is stopping. */
  void closeManagers(@Observes BeforeShutdown event) {
    ClassLoader loader = applicationLoader;
    if (loader == null) {
      return;
    }
    try {
      Caching.getCachingProvider(CacheSource.PROVIDER, loader).close(loader);
      LOG.log(Level.DEBUG, "closed the Ringstore cache managers of {0}", loader);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing the Ringstore cache managers of " + loader + " at shutdown failed", e);
    }
  }

  /** Keeps the module's classes to the copies added above. */
  void vetoDiscovered(@Observes ProcessAnnotatedType<? extends AddedByExtension> event) {
    // Weld fires a plain ProcessAnnotatedType (not ProcessSyntheticAnnotatedType) for types added in
    // BeforeBeanDiscovery, so the copies added above are told apart by the annotation they got there
    if (event.getAnnotatedType().isAnnotationPresent(Registered.class)) {
      return;
    }
    LOG.log(Level.DEBUG, "ignoring a discovered copy of {0}: CacheAnnotationsExtension adds it",
        event.getAnnotatedType().getJavaClass().getName());
    event.veto();
  }

  private static String id(Class<?> type) {
    return CacheAnnotationsExtension.class.getName() + "/" + type.getSimpleName();
  }

  /** Marks the annotated types the extension added (never present on the classes themselves). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface Registered {}

  /** {@link Registered}. */
  @SuppressWarnings("all")
  static final class RegisteredLiteral extends AnnotationLiteral<Registered> implements Registered {
    static final RegisteredLiteral INSTANCE = new RegisteredLiteral();
    private static final long serialVersionUID = 1L;
  }

  /** {@code @jakarta.interceptor.Interceptor}, which has no literal of its own. */
  @SuppressWarnings("all")
  static final class InterceptorLiteral extends AnnotationLiteral<Interceptor> implements Interceptor {
    static final InterceptorLiteral INSTANCE = new InterceptorLiteral();
    private static final long serialVersionUID = 1L;
  }
}
