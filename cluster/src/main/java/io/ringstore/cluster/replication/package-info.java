/**
 * Replication: the coordinator of a keyspace, the replica that merges versions into its engine
 * by vector clock, hybrid logical clocks. Must not import node (apart from settings) or anything
 * of the provider; keys and values are opaque bytes here.
 */
@NullMarked
package io.ringstore.cluster.replication;

import org.jspecify.annotations.NullMarked;
