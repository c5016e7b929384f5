package io.ringstore.cluster.membership;

/**
 * Counters of one {@link Gossiper} since it was created.
 *
 * <p>Thread-safety: immutable.
 *
 * @param rounds gossip rounds run
 * @param framesSent frames handed to the transport
 * @param framesReceived frames handled (decoded and of this cluster)
 * @param framesRefused frames dropped: malformed, or of another cluster
 */
public record GossipStats(long rounds, long framesSent, long framesReceived, long framesRefused) {}
