package io.ringstore.cluster.replication;

import io.ringstore.spi.StoredRecord;
import org.jspecify.annotations.Nullable;

/**
 * The decision part of a read-modify-write of one key: given what the replicas hold, what to do.
 * The key's coordinator runs operations on one key one at a time, so the decision and the write
 * it causes are atomic with respect to every other operation on that key.
 *
 * <p>Runs on the coordinating thread while the key is held: it must not operate on the same key
 * of the same keyspace, and should be quick. If it throws, nothing is written and the exception
 * propagates to the caller of {@link Coordinator#update}.
 */
@FunctionalInterface
public interface KeyOperation {

  /**
   * @param current the merged record of the key's replicas, or {@code null} if none holds it. It
   *     may be expired ({@link StoredRecord#isExpiredAt}) or a tombstone, and may have siblings.
   */
  Mutation apply(@Nullable StoredRecord current);

  /**
   * Whether this operation's decision does not depend on what the key holds: a blind write (a put
   * whose cache has no listener, no by-reference handles and an eternal expiry). On a replicated
   * keyspace the coordinator then skips the quorum read: it runs {@link #apply} with
   * {@code null} and sends the result to the key's primary unconditionally, which makes it a
   * descendant of whatever it holds. Default {@code false}.
   */
  default boolean blind() {
    return false;
  }
}
