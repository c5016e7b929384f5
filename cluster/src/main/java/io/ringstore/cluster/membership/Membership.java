package io.ringstore.cluster.membership;

/**
 * The one interface through which the ring and the rest of a node read membership. Implemented by
 * our {@link Gossiper}, and (later) by an adapter over any Vert.x cluster manager.
 *
 * <p>Contract:
 * <ol>
 *   <li>{@link #view()} never blocks and may be called from any thread; it returns an immutable
 *       snapshot, replaced (never changed) after each change.
 *   <li>Listeners are called after the change they report is visible in {@link #view()}, one at a
 *       time, in the order the changes happened, on the thread that made the change (for the
 *       gossiper, the thread of its round or of the incoming frame). They must not block; they
 *       may read {@link #view()}, and must not call back into the membership's mutating methods.
 *   <li>Events are about other nodes; the local node's own changes are not reported.
 * </ol>
 * <p>Thread-safety: thread-safe.
 */
public interface Membership {

  /** The current snapshot. */
  MembershipView view();

  /** Adds {@code listener}; it hears every change after this call. */
  void addListener(MembershipListener listener);

  /** Removes {@code listener}, if present. */
  void removeListener(MembershipListener listener);

  /**
   * Moves this node to {@code status} and tells the others (a joining node that has its data now
   * serves: NORMAL; a leaving node that handed its data over: LEFT).
   *
   * @throws IllegalStateException if that is not forward of the current status
   * @throws UnsupportedOperationException if this membership does not carry statuses of its own
   *     (an adapter over another cluster manager)
   */
  default void setStatus(NodeStatus status) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not publish a node's status");
  }

  /**
   * Publishes {@code value} under {@code key} for the others to see in this node's
   * {@link Member#state()} (keys above the ones membership owns).
   *
   * @throws IllegalArgumentException if the key is one membership sets itself, or the value is not one the key takes
   * @throws UnsupportedOperationException if this membership carries no state of its own
   */
  default void setState(StateKey key, io.ringstore.spi.Bytes value) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not publish state");
  }
}
