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

  /**
   * Groups the requests the calling thread sends until the returned cork is closed: while corked,
   * {@link #send} on this thread queues each request per destination node instead of sending it,
   * and closing the cork sends each node's queue together (the event bus's transport: one
   * {@link ReplicaRequest.Batch} per node, split where a frame would pass its bound). Each request
   * still completes on its own, with its own reply or failure. Corks nest: only the outermost
   * close sends. A cork is closed on the thread that opened it, exactly once (a second close does
   * nothing). A thread must not wait for a reply to a request it holds corked: before it waits it
   * calls {@link #sendCorked()} ({@link CallerThread} does).
   *
   * <p>The default sends at once: a transport that does not group needs nothing.
   */
  default Cork cork() {
    return Cork.NONE;
  }

  /**
   * Sends now what the calling thread holds corked, as closing its outermost cork would; its corks
   * stay open and hold what it sends next. A thread calls this before it waits for a reply (a
   * synchronous operation run by code that runs inside a cork). Does nothing if the thread holds
   * nothing.
   */
  default void sendCorked() {}

  /** An open cork of {@link #cork()}; {@link #close()} sends what it holds. */
  interface Cork extends AutoCloseable {
    /** A cork that holds nothing. */
    Cork NONE = () -> {};

    @Override
    void close();
  }
}
