package io.ringstore.cdi;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Names the cache to inject: {@code @Inject @NamedCache("orders") Cache<String, Order> orders;}.
 *
 * <p>The cache comes from Ringstore's default cache manager for the application's class loader
 * (the one {@code @Inject CacheManager} and the annotation interceptors use) and is created with a
 * default {@code MutableConfiguration} (store by value, untyped, no expiry) if that manager has no
 * cache of that name; declare it in the configuration file or create it first to choose its
 * settings. The injected cache is {@code @Dependent}: looked up when the injecting bean is made.
 *
 * <p>{@link #value()} is {@code @Nonbinding}: one producer serves every name.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, PARAMETER, METHOD, TYPE})
public @interface NamedCache {

  /** The cache's name; must not be blank. */
  @Nonbinding
  String value();

  /** A {@link NamedCache} instance, for {@code Instance.select(..)}. Immutable. */
  final class Literal extends AnnotationLiteral<NamedCache> implements NamedCache {
    private static final long serialVersionUID = 1L;

    private final String value;

    private Literal(String value) {
      this.value = value;
    }

    /** {@code @NamedCache(name)}. */
    public static Literal of(String name) {
      return new Literal(Objects.requireNonNull(name, "name"));
    }

    @Override
    public String value() {
      return value;
    }
  }
}
