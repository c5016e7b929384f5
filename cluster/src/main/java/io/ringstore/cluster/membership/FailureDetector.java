package io.ringstore.cluster.membership;

/**
 * Judges whether a node is alive from the progress of its heartbeat. The gossiper
 * {@link #report reports} every time it sees a node's heartbeat version grow (directly or through
 * other nodes) and asks {@link #isAlive} once a round (and after every merge). {@link PhiAccrualFailureDetector}
 * is the default; {@link TimeoutFailureDetector} the simple one ({@link FailureDetection} chooses).
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

  /**
   * Why {@code node} is judged as it is at {@code nowNanos}, with the numbers, for logs and status
   * displays (e.g. {@code "phi 9.3 > 8.0 after 4,210 ms without heartbeat; mean interval 1,002 ms, std dev 100 ms"}).
   */
  default String describe(NodeId node, long nowNanos) {
    return isAlive(node, nowNanos) ? "alive" : "down";
  }
}
