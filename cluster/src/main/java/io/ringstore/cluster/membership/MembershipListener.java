package io.ringstore.cluster.membership;

/**
 * Hears membership changes of other nodes; see {@link Membership} for when and on which thread. A
 * new node is reported once its status is known: {@link #onJoined} (it is then alive). Every method
 * has an empty default.
 *
 * <p>Thread-safety: called one event at a time; implementations need not be thread-safe towards
 * the membership, but must be towards their own other readers.
 */
public interface MembershipListener {

  /** {@code member} appeared (first seen, or seen again with a new generation after removal). */
  default void onJoined(Member member) {}

  /** {@code member} restarted: a new generation replaced the old state. */
  default void onRestarted(Member member) {}

  /** {@code member}'s status changed from {@code previous}. */
  default void onStatusChanged(Member member, NodeStatus previous) {}

  /** {@code member} was judged down and is now alive again. */
  default void onUp(Member member) {}

  /** {@code member} is judged down. It stays a member. */
  default void onDown(Member member) {}

  /** {@code node} left and is no longer a member. */
  default void onRemoved(NodeId node) {}
}
