/**
 * JMX management for caches: the statistics counters a cache records into ({@link
 * io.ringstore.provider.management.CacheStatistics}, the spec's {@code CacheStatisticsMXBean}), the
 * configuration view ({@link io.ringstore.provider.management.CacheConfigurationBean}, the spec's
 * {@code CacheMXBean}), and their registration on the platform MBeanServer under the spec's object
 * names ({@link io.ringstore.provider.management.ManagementRegistry}).
 *
 * <p>This package owns the counters' arithmetic and the object names. It depends on {@code
 * javax.cache}, {@code java.management} and the JDK only; it must not import {@code
 * io.ringstore.cluster}, {@code io.ringstore.storage} or the provider's cache classes.
 */
@NullMarked
package io.ringstore.provider.management;

import org.jspecify.annotations.NullMarked;
