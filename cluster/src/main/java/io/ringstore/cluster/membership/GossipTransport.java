package io.ringstore.cluster.membership;

/**
 * Carries gossip frames to other nodes: the real one encodes them with {@link GossipCodec} and
 * sends the bytes (over the event bus or a socket); the simulation delivers them through a fake
 * scheduler. Incoming frames go to {@link Gossiper#handle(GossipFrame)}.
 *
 * <p>Contract: {@link #send} never blocks and never throws for an unreachable or unknown address
 * (gossip is best effort: the frame is dropped, and the next round tries again); it may throw
 * {@link io.ringstore.spi.LimitExceededException} for a frame over the bound, which the gossiper
 * never builds.
 * <p>Thread-safety: implementations are thread-safe.
 */
@FunctionalInterface
public interface GossipTransport {

  /** Sends {@code frame} to the node that takes gossip at {@code address} ({@code host:port}). */
  void send(String address, GossipFrame frame);
}
