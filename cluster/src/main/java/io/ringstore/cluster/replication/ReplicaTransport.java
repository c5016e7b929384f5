package io.ringstore.cluster.replication;

import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import java.util.concurrent.CompletionStage;

/**
 * How a coordinator reaches the replicas on other nodes. The cluster's is the Vert.x event bus with
 * {@link io.ringstore.cluster.wire.WireCodec}; a node never sends to itself through it.
 *
 * <p>Thread-safety: thread-safe. Stages complete on the transport's threads; callers must not
 * block them.
 */
public interface ReplicaTransport {

  /**
   * Sends {@code request} to node {@code nodeId} and completes with its reply, or exceptionally
   * with a {@link ReplicaUnreachableException} if no reply came within {@code timeoutMillis} or
   * the node could not be reached (it is down, or has no replica service yet).
   */
  CompletionStage<ReplicaReply> send(String nodeId, ReplicaRequest request, long timeoutMillis);
}
