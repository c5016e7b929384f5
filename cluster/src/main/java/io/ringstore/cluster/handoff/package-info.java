/**
 * Hinted handoff (DESIGN.md section 5): the versions a key's replica missed while it was down or
 * slow, kept by the key's primary ({@link io.ringstore.cluster.handoff.KeyspaceHints}, bounded in
 * bytes and age, durable for a persistent keyspace) and handed to the replica once it is alive
 * again ({@link io.ringstore.cluster.handoff.HintReplay}, throttled, each hint deleted once
 * acknowledged). A hint never counts toward a write quorum.
 *
 * <p>This package owns the hint stores and their replay; it reaches replicas only through a
 * keyspace's {@link io.ringstore.cluster.replication.Coordinator} and never imports Vert.x.
 */
@NullMarked
package io.ringstore.cluster.handoff;

import org.jspecify.annotations.NullMarked;
