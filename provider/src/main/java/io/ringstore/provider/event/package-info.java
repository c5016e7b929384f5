/**
 * Cache entry events: the registry of a cache's {@link javax.cache.event.CacheEntryListener}s
 * (created from their configurations' factories), the per-operation {@link
 * io.ringstore.provider.event.EventBatch} the cache fills, and delivery -- synchronous listeners on
 * the caller's thread in event order, asynchronous listeners on an executor in order per key --
 * and the {@link io.ringstore.provider.event.EventRelay} through which a clustered cache's events
 * also reach, and come from, other nodes' listeners (its implementation lives in
 * {@code io.ringstore.provider.cluster}).
 *
 * <p>This package owns event objects, filters, delivery order and the bound on queued asynchronous
 * events. It depends on {@code javax.cache} and the JDK only; it must not import
 * {@code io.ringstore.cluster}, {@code io.ringstore.storage} or the provider's cache classes (the
 * cache reaches it through {@link io.ringstore.provider.event.ListenerRegistry} and
 * {@link io.ringstore.provider.event.EventBatch} only).
 */
@NullMarked
package io.ringstore.provider.event;

import org.jspecify.annotations.NullMarked;
