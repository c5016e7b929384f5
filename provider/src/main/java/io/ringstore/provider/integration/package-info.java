/**
 * Integration with the application's system of record: read-through through a
 * {@link javax.cache.integration.CacheLoader}, write-through through a
 * {@link javax.cache.integration.CacheWriter}, with the spec's exception wrapping and its rules for
 * partial failure of the bulk operations.
 *
 * <p>Depends on {@code javax.cache} only; must not import the cluster, storage or the provider's
 * cache classes.
 */
@NullMarked
package io.ringstore.provider.integration;

import org.jspecify.annotations.NullMarked;
