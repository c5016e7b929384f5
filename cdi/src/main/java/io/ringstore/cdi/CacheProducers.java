package io.ringstore.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.lang.System.Logger.Level;
import javax.cache.Cache;
import javax.cache.CacheManager;

/**
 * Producers for {@code @Inject CacheManager} and {@code @Inject @NamedCache("name") Cache<K, V>}.
 *
 * <ul>
 *   <li>{@link CacheManager}: {@code @Singleton} (one per container and no client proxy, so
 *       {@code unwrap(RingstoreCacheManager.class)} works: a Weld client proxy returns itself where
 *       the manager returns {@code this}), Ringstore's cache manager with the default
 *       URI for the application's class loader (the thread's context class loader when the
 *       container starts), closed when the container shuts down (the application is undeployed),
 *       which stops its threads and releases its files and ports.
 *   <li>{@code Cache<K, V>} qualified {@link NamedCache}: {@code @Dependent}, the named cache of that
 *       same manager, created with a default configuration if missing.
 * </ul>
 *
 * <p>Added by {@link CacheAnnotationsExtension} only (no bean-defining annotation, so a scanned jar
 * adds nothing).
 *
 * <p>Thread-safety: stateless; the container calls it from any thread.
 */
public class CacheProducers implements AddedByExtension {

  private static final System.Logger LOG = System.getLogger(CacheProducers.class.getName());

  /** Made by the container. */
  public CacheProducers() {}

  /** Ringstore's default cache manager for the application. */
  @Produces
  @Singleton
  CacheManager cacheManager(CacheLookup lookup) {
    CacheManager manager = lookup.caches().manager();
    LOG.log(Level.DEBUG, "CDI: producing cache manager {0}", manager.getURI());
    return manager;
  }

  /** Closes the manager when the container shuts down. */
  void close(@Disposes CacheManager manager) {
    LOG.log(Level.DEBUG, "CDI: closing cache manager {0}", manager.getURI());
    manager.close();
  }

  /** The cache the injection point's {@link NamedCache} names. */
  @Produces
  @Dependent
  @NamedCache("")
  <K, V> Cache<K, V> namedCache(InjectionPoint injectionPoint, CacheLookup lookup) {
    String name = null;
    for (Annotation qualifier : injectionPoint.getQualifiers()) {
      if (qualifier instanceof NamedCache named) {
        name = named.value();
      }
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("@NamedCache at " + where(injectionPoint) + " names no cache (value '"
          + name + "'); give the cache's name, e.g. @NamedCache(\"orders\")");
    }
    return lookup.caches().cache(name, "@NamedCache at " + where(injectionPoint));
  }

  private static String where(InjectionPoint injectionPoint) {
    return injectionPoint.getMember() == null ? "a programmatic lookup" : injectionPoint.getMember().toString();
  }
}
