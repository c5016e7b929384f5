/**
 * The consistent-hash ring: tokens of keys (stable MurmurHash3) and immutable snapshots of token
 * ownership with virtual nodes. Must not import replication or node.
 */
@NullMarked
package io.ringstore.cluster.ring;

import org.jspecify.annotations.NullMarked;
