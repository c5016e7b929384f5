/**
 * How a cache's keys and values become the opaque bytes that the cluster and storage layers keep:
 * the built-in tagged codec (String, byte[], Long, Integer, else Java serialisation behind an
 * {@link java.io.ObjectInputFilter}), user codecs, size bounds, the handle table of
 * store-by-reference caches and the interned keys they cannot encode, and the small memos that
 * spare the hot path repeated encoding and decoding of immutable keys and values.
 *
 * <p>This package owns every conversion between a user's object and bytes in the provider; it is
 * the one place in Ringstore where Java serialisation is used, and only for values a cache stores
 * by value. It may import {@code io.ringstore.spi}, {@code javax.cache} and the provider's
 * {@code configuration}; it must not import {@code io.ringstore.cluster},
 * {@code io.ringstore.storage} or the provider's cache classes.
 */
@NullMarked
package io.ringstore.provider.codec;

import org.jspecify.annotations.NullMarked;
