package io.ringstore.cluster.membership;

/**
 * Judges whether a node is alive from the progress of its heartbeat. The gossiper
 * {@link #report reports} every time it sees a node's heartbeat version grow (directly or through
 * other nodes) and asks {@link #isAlive} once a round. {@link TimeoutFailureDetector} is the simple
 * one; a phi-accrual detector can replace it behind this interface.
 *
 * <p>Times are {@link io.ringstore.spi.env.Ticker} nanos of the local node, never compared across
 * nodes.
 * <p>Thread-safety: implementations need not be thread-safe; the gossiper calls them under its lock.
 */
public interface FailureDetector {

  /** {@code node}'s heartbeat was seen to move at {@code nowNanos}. */
  void report(NodeId node, long nowNanos);

  /** Whether {@code node} is judged alive at {@code nowNanos}; false for a node never reported. */
  boolean isAlive(NodeId node, long nowNanos);

  /** Forgets {@code node} (it left and was removed). */
  void forget(NodeId node);
}
