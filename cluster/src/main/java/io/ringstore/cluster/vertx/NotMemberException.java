package io.ringstore.cluster.vertx;

import io.ringstore.spi.RingstoreException;

/**
 * A request was refused because the member that received it does not count the sender as a member
 * of the cluster: the sender was removed as down (it paused or was cut off for longer than
 * {@code ringstore.gossip.downAfterMillis}) or has not joined. Travels as a
 * {@link ChannelFrame.Type#REPLY_NOT_MEMBER} reply; a {@link RingstoreClusterManager} that gets it
 * rejoins (see its "Under failures").
 *
 * <p>Thread-safety: immutable.
 */
final class NotMemberException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  NotMemberException(String message) {
    super(message);
  }
}
