/**
 * The replica protocol's messages and their binary codec: what coordinators and replicas send each
 * other over the event bus (reads, merges, conditional commits at a key's primary, keyspace
 * management, scans) and the replies. Documented byte by byte in {@code docs/formats/wire.md}.
 * Never Java serialisation. Must not import replication or vertx.
 */
@NullMarked
package io.ringstore.cluster.wire;

import org.jspecify.annotations.NullMarked;
