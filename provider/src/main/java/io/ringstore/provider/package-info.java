/**
 * Ringstore's JCache face: the {@link javax.cache.spi.CachingProvider}, the
 * {@link javax.cache.CacheManager} (one embedded Ringstore node per manager) and the
 * {@link javax.cache.Cache}, whose every operation runs through the keyspace's
 * {@link io.ringstore.cluster.replication.Coordinator}: a read, or an atomic read-modify-write of
 * one key ({@link io.ringstore.cluster.replication.KeyOperation}).
 *
 * <p>This package owns JCache semantics (null checks, the order of writer, expiry, store, events
 * and statistics, the closed state) and translates Ringstore's exceptions into
 * {@link javax.cache.CacheException}s once, here. It uses the cluster's node and replication API
 * but never the storage engines directly, and it never hands the cluster anything but bytes.
 */
@NullMarked
package io.ringstore.provider;

import org.jspecify.annotations.NullMarked;
