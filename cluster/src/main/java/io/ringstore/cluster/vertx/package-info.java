/**
 * Ringstore's own Vert.x {@code ClusterManager}: the clustered event bus runs on Ringstore's
 * membership with no other infrastructure. Owns the cluster channel (a small TCP protocol between
 * cluster managers), the registry of event-bus registrations and node infos, and its
 * consistency scheme (see {@link io.ringstore.cluster.vertx.RingstoreClusterManager}).
 *
 * <p>May import Vert.x and {@code io.ringstore.cluster.membership}; must not import ring,
 * replication or node (they read membership, not the other way round).
 */
@NullMarked
package io.ringstore.cluster.vertx;

import org.jspecify.annotations.NullMarked;
