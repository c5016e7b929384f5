/**
 * The in-memory storage engine ({@code memory}): records on the Java heap in a
 * {@link java.util.concurrent.ConcurrentHashMap}, optionally bounded by entry count or by bytes,
 * with the eviction policies of {@link io.ringstore.spi.EvictionPolicy} (LRU, LFU, FIFO,
 * volatile-TTL, no-eviction), each O(1) or O(log n) per operation.
 *
 * <p>This package owns the engine, its factory and the eviction orders. It depends on
 * {@code io.ringstore.spi} and the JDK only; it must not import {@code io.ringstore.cluster},
 * {@code io.ringstore.provider} or {@code javax.cache}: refusals are thrown as
 * {@link io.ringstore.spi.CapacityExceededException}, which the provider translates.
 */
@NullMarked
package io.ringstore.storage.memory;

import org.jspecify.annotations.NullMarked;
