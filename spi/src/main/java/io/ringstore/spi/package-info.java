/**
 * The contracts that every other Ringstore module implements or receives: storage engines and
 * their factories, the stored record and its versions (dotted version vectors), sibling
 * resolution, value codecs and eviction policies.
 *
 * <p>This package depends on the JDK only. It must not import anything from
 * {@code io.ringstore.storage}, {@code io.ringstore.cluster} or {@code io.ringstore.provider}.
 * Keys and values are opaque bytes here ({@link io.ringstore.spi.Bytes}); no type in this
 * package deserialises a user's object.
 */
@NullMarked
package io.ringstore.spi;

import org.jspecify.annotations.NullMarked;
