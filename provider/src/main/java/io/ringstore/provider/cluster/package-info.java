/**
 * A clustered cache's link to the caches of the same name on the other nodes: today its cache entry
 * events ({@link io.ringstore.provider.cluster.ClusterEvents}, an
 * {@link io.ringstore.provider.event.EventRelay}), sent over the Vert.x event bus as
 * {@link io.ringstore.provider.cluster.EventFrame}s in the binary format of
 * {@code docs/formats/events.md} ({@link io.ringstore.provider.cluster.EventFrameCodec}).
 *
 * <p>This package owns the event frame format, its bounds, the event-bus address of a cache's
 * events and the queue of events heard from other nodes. It may import Vert.x, the cluster
 * module's node ({@code io.ringstore.cluster.node}), the spi, the provider's codec and event
 * packages; it must not import the provider's cache classes ({@code io.ringstore.provider}) or the
 * storage module, and never uses Java serialisation: values travel as the bytes the cache stores.
 */
@NullMarked
package io.ringstore.provider.cluster;

import org.jspecify.annotations.NullMarked;
