package io.ringstore.cluster.node;

import io.ringstore.cluster.replication.ReplicaTransport;
import io.ringstore.cluster.replication.ReplicaUnreachableException;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.cluster.wire.WireCodec;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.RingstoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import io.vertx.core.eventbus.ReplyException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The replica protocol over the Vert.x event bus: each node consumes requests at
 * {@code ringstore.replica.<node id>} and answers them through its {@link ReplicaEndpoint};
 * requests and replies are {@link WireCodec} frames in a {@link Buffer} (the event bus's own
 * codec for bytes; never Java serialisation).
 *
 * <p>Bounds: a frame longer than the event bus's {@code ringstore.bus.maxFrameBytes} is refused
 * before it is sent (and the receiving transport refuses longer ones too); at most
 * {@code maxInFlight} requests of this node wait for replies at once, a request past that fails at
 * once with a {@link LimitExceededException} naming {@value #MAX_IN_FLIGHT}; the consumer buffers
 * at most {@code maxQueued} requests (Vert.x drops the rest, their senders time out).
 *
 * <p>Thread-safety: thread-safe.
 */
final class EventBusReplicas implements ReplicaTransport {
  private static final System.Logger LOG = System.getLogger(EventBusReplicas.class.getName());

  /** The address prefix of the nodes' replica services. */
  static final String ADDRESS_PREFIX = "ringstore.replica.";
  /** The setting that bounds the requests waiting for replies. */
  static final String MAX_IN_FLIGHT = "ringstore.replication.maxInFlight";
  /** Its default. */
  static final int DEFAULT_MAX_IN_FLIGHT = 65_536;
  /** The default bound of requests buffered by the consumer. */
  static final int DEFAULT_MAX_QUEUED = 65_536;

  private final Vertx vertx;
  private final String self;
  private final int maxFrameBytes;
  private final int maxInFlight;
  private final ReplicaEndpoint endpoint;
  private final RingstoreNode node;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile @Nullable MessageConsumer<Buffer> consumer;

  EventBusReplicas(Vertx vertx, RingstoreNode node, int maxFrameBytes, int maxInFlight) {
    this.vertx = vertx;
    this.node = node;
    this.self = node.nodeId();
    this.maxFrameBytes = maxFrameBytes;
    this.maxInFlight = maxInFlight;
    this.endpoint = new ReplicaEndpoint(node);
  }

  /** Registers this node's replica service; completes once the registration is known to the cluster. */
  Future<Void> start() {
    MessageConsumer<Buffer> c = vertx.eventBus().consumer(new MessageConsumerOptions().setAddress(ADDRESS_PREFIX + self)
        .setMaxBufferedMessages(DEFAULT_MAX_QUEUED));
    c.handler(this::onRequest);
    consumer = c;
    return c.completion();
  }

  /** Unregisters the replica service. */
  Future<Void> stop() {
    MessageConsumer<Buffer> c = consumer;
    return c == null ? Future.succeededFuture() : c.unregister();
  }

  @Override
  public CompletionStage<ReplicaReply> send(String nodeId, ReplicaRequest request, long timeoutMillis) {
    byte[] frame = WireCodec.encode(request);
    if (frame.length > maxFrameBytes) {
      return CompletableFuture.failedFuture(new LimitExceededException(String.format(
          "a %s request of cache '%s' to node %s is %d bytes, past the frame bound ringstore.bus.maxFrameBytes = %d",
          request.getClass().getSimpleName(), request.keyspace(), nodeId, frame.length, maxFrameBytes),
          "ringstore.bus.maxFrameBytes", frame.length, maxFrameBytes));
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(new LimitExceededException(String.format(
          "node %s has %d replica requests waiting for replies, the bound %s = %d; request to %s refused",
          self, maxInFlight, MAX_IN_FLIGHT, maxInFlight, nodeId), MAX_IN_FLIGHT, maxInFlight + 1L, maxInFlight));
    }
    CompletableFuture<ReplicaReply> reply = new CompletableFuture<>();
    vertx.eventBus().<Buffer>request(ADDRESS_PREFIX + nodeId, Buffer.buffer(frame), new DeliveryOptions().setSendTimeout(timeoutMillis))
        .onComplete(ar -> {
          inFlight.decrementAndGet();
          if (ar.failed()) {
            reply.completeExceptionally(unreachable(nodeId, ar.cause(), timeoutMillis));
            return;
          }
          try {
            reply.complete(WireCodec.decodeReply(ar.result().body().getBytes(), maxFrameBytes));
          } catch (RingstoreException e) {
            reply.completeExceptionally(new ReplicaUnreachableException(nodeId, "node " + nodeId + " answered with a bad frame: "
                + e.getMessage(), e));
          }
        });
    return reply;
  }

  private static ReplicaUnreachableException unreachable(String nodeId, Throwable cause, long timeoutMillis) {
    if (cause instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case TIMEOUT:
          return new ReplicaUnreachableException(nodeId, "node " + nodeId + " did not answer within " + timeoutMillis + " ms", cause);
        case NO_HANDLERS:
          return new ReplicaUnreachableException(nodeId, "node " + nodeId + " runs no replica service (not started, or gone)", cause);
        default:
          break;
      }
    }
    return new ReplicaUnreachableException(nodeId, "node " + nodeId + " could not be reached: " + cause.getMessage(), cause);
  }

  private void onRequest(Message<Buffer> message) {
    ReplicaRequest request;
    try {
      request = WireCodec.decodeRequest(message.body().getBytes(), maxFrameBytes);
    } catch (RingstoreException e) {
      LOG.log(Level.WARNING, () -> "node " + self + " refused a malformed replica request: " + e.getMessage());
      message.reply(Buffer.buffer(WireCodec.encode(new ReplicaReply.Refused(ReplicaReply.Refused.Reason.ERROR,
          "node " + self + ": malformed request: " + e.getMessage(), "", 0, 0))));
      return;
    }
    if (node.blocks(request.keyspace())) {
      vertx.<CompletionStage<ReplicaReply>>executeBlocking(() -> endpoint.handle(request), false)
          .onComplete(ar -> {
            if (ar.failed()) {
              answer(message, error(ar.cause()));
            } else {
              ar.result().whenComplete((reply, failure) -> answer(message, failure != null ? error(failure) : reply));
            }
          });
      return;
    }
    endpoint.handle(request).whenComplete((reply, failure) -> answer(message, failure != null ? error(failure) : reply));
  }

  private ReplicaReply error(Throwable failure) {
    return new ReplicaReply.Refused(ReplicaReply.Refused.Reason.ERROR, "node " + self + ": " + failure, "", 0, 0);
  }

  private static void answer(Message<Buffer> message, ReplicaReply reply) {
    message.reply(Buffer.buffer(WireCodec.encode(reply)));
  }
}
