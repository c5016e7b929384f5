/**
 * Cache configuration: {@link io.ringstore.provider.configuration.RingstoreConfiguration} (a
 * {@link javax.cache.configuration.MutableConfiguration} with Ringstore's storage, bounds,
 * replication, codec and sibling-resolution settings) and its validation into the cluster's
 * keyspace settings, with errors that name the setting, the value and the allowed range; and the
 * configuration file a cache manager's URI names
 * ({@link io.ringstore.provider.configuration.ConfigurationFile}, YAML read as a SnakeYAML node tree),
 * whose errors also name the file, the line and the column.
 *
 * <p>May import {@code javax.cache}, {@code io.ringstore.spi}, the cluster's node settings and
 * SnakeYAML's node, reader and error types (never its object binding); must not import the storage
 * engines or the provider's cache classes.
 */
@NullMarked
package io.ringstore.provider.configuration;

import org.jspecify.annotations.NullMarked;
