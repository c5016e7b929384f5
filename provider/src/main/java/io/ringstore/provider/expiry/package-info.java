/**
 * Expiry: turning a cache's {@link javax.cache.expiry.ExpiryPolicy} answers into the absolute
 * expiry times ({@code expiresAtMillis}) that stored records carry, with the spec's rules for
 * {@code ZERO}, {@code ETERNAL}, {@code null} and policies that throw.
 *
 * <p>Depends on {@code javax.cache} and {@code io.ringstore.spi} only; must not import the
 * cluster, storage or the provider's cache classes.
 */
@NullMarked
package io.ringstore.provider.expiry;

import org.jspecify.annotations.NullMarked;
