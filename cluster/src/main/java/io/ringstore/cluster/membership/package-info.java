/**
 * Membership by gossip: who is in the cluster, in which status, at which addresses, with which
 * capacity weight and tokens, and whether each node is alive. The protocol core (the merge of
 * {@link io.ringstore.cluster.membership.EndpointState}s, digests and deltas in
 * {@link io.ringstore.cluster.membership.GossipExchange}, the wire format in
 * {@link io.ringstore.cluster.membership.GossipCodec}) is plain code; the
 * {@link io.ringstore.cluster.membership.Gossiper} drives it over an injected clock, ticker, random
 * source and {@link io.ringstore.cluster.membership.GossipTransport}, so the same code runs over the
 * real network and in a deterministic simulation of many nodes. The ring and everything else read
 * membership through {@link io.ringstore.cluster.membership.Membership} only.
 *
 * <p>Wire format: {@code docs/formats/gossip.md}.
 *
 * <p>Depends on the JDK and {@code io.ringstore.spi} only; must not import ring, replication, node
 * or any Vert.x type (the Vert.x {@code ClusterManager} is built on top of this package, not in it).
 */
@NullMarked
package io.ringstore.cluster.membership;

import org.jspecify.annotations.NullMarked;
