/**
 * The 3-node cluster benchmark: Ringstore's three clustered nodes on loopback beside Hazelcast 5's
 * three members, in one JVM, through {@code javax.cache} (get, put, getAll and putAll of 100 over a
 * preloaded key set); {@link io.ringstore.bench.cluster.LoopbackProbe}, the loopback round
 * trips that are the physical floor of a replicated write; and
 * {@link io.ringstore.bench.cluster.EventBusProbe}, the floor of the transport Ringstore's replicas
 * use (event-bus round trips between three clustered nodes, no cache on top).
 *
 * <p>This package owns the cluster workload, the two three-node fixtures and the probe's echo
 * servers. Unlike {@code io.ringstore.bench}, it must reach each system's own classes to build a
 * cluster at all: replication and join settings have no {@code javax.cache} form. It may import
 * Ringstore's provider configuration and node (to set N/W/R and to wait for the membership) and
 * Hazelcast's configuration and instance API; the measured operations of the cluster benchmark go
 * through {@link javax.cache.Cache} only (the two probes measure sockets and the event bus, and
 * so use them directly). It must not import anything from {@code io.ringstore.bench}'s
 * single-node fixtures, nor Ringstore's storage or replication internals.
 */
@NullMarked
package io.ringstore.bench.cluster;

import org.jspecify.annotations.NullMarked;
