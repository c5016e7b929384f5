package io.ringstore.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
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
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

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
 * <p>Note for Weld SE: {@code Weld.disableDiscovery()} also skips service-loaded extensions; add
 * this one with {@code addExtension(new CacheAnnotationsExtension())}.
 *
 * <p>Thread-safety: the container calls observers from one thread during boot; the extension keeps
 * no state.
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

  /** Created by the container's service loader (or by {@code Weld.addExtension}). */
  public CacheAnnotationsExtension() {}

  void register(@Observes BeforeBeanDiscovery event) {
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
