/**
 * Cache configuration: {@link io.ringstore.provider.configuration.RingstoreConfiguration} (a
 * {@link javax.cache.configuration.MutableConfiguration} with Ringstore's storage, bounds,
 * replication, codec and sibling-resolution settings) and its validation into the cluster's
 * keyspace settings, with errors that name the setting, the value and the allowed range.
 *
 * <p>May import {@code javax.cache}, {@code io.ringstore.spi} and the cluster's node settings; must
 * not import the storage engines or the provider's cache classes.
 */
@NullMarked
package io.ringstore.provider.configuration;

import org.jspecify.annotations.NullMarked;
