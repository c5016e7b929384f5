/**
 * Anti-entropy's pure parts: Merkle trees over (key, version digest) of a set of token ranges, the
 * version digest of a stored record, the ranges two nodes both replicate, a bounded cache of built
 * trees, a token bucket, and the settings and report of a repair. See {@code docs/anti-entropy.md}.
 * Must not import replication, node, wire or vertx: it reads the ring ({@code ring}) and the spi only.
 */
@NullMarked
package io.ringstore.cluster.repair;

import org.jspecify.annotations.NullMarked;
