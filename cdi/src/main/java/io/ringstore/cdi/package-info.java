/**
 * Jakarta CDI for Ringstore: the JCache annotations ({@code @CacheResult}, {@code @CachePut},
 * {@code @CacheRemove}, {@code @CacheRemoveAll}, {@code @CacheDefaults}) as jakarta interceptors,
 * and producers for {@code @Inject CacheManager} and {@code @Inject @NamedCache("name") Cache<K, V>}.
 *
 * <p>Everything is registered by {@link io.ringstore.cdi.CacheAnnotationsExtension} (a portable
 * extension listed in {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}); the jar
 * has no {@code beans.xml} and none of its classes carries a bean-defining annotation, so a
 * container that scans the jar adds nothing twice.
 *
 * <p>Owns nothing of the data path: it talks to the provider through {@code javax.cache} and the
 * provider's public type {@code io.ringstore.provider.RingstoreCachingProvider} only, and must not
 * import the provider's internals, the cluster or the storage engines. Key generation and the
 * per-method annotation analysis come from {@code org.jsr107.ri:cache-annotations-ri-common}.
 */
@NullMarked
package io.ringstore.cdi;

import org.jspecify.annotations.NullMarked;
