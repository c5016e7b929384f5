package io.ringstore.cluster.node;

import io.ringstore.cluster.replication.ReplicaTransport;
import io.ringstore.cluster.replication.ReplicaUnreachableException;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.cluster.wire.WireCodec;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.RingstoreException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import io.vertx.core.eventbus.ReplyException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * once with a {@link LimitExceededException} naming {@value #MAX_IN_FLIGHT} (a request of a batch
 * counts as one, the batch as many as it holds); the consumer buffers at most {@code maxQueued}
 * requests (Vert.x drops the rest, their senders time out).
 *
 * <p>Batches ({@link #cork()}): the requests a thread sends while corked wait in a queue per
 * destination node and timeout; closing the cork sends each queue as one {@link ReplicaRequest.Batch}
 * (a queue of one as the plain request; a longer one split where a frame would pass
 * {@code maxFrameBytes} less {@value #ENVELOPE_BYTES} bytes left for the event bus's envelope, or
 * hold more than {@link WireCodec#MAX_BATCH} requests). Each request completes from its place in
 * the {@link ReplicaReply.Batched} reply; a batch that fails fails each of its requests as the
 * request alone would have failed. The receiver handles a batch's requests one after the other
 * through its {@link ReplicaEndpoint}, inside a cork of its own (the replication a batch of commits
 * makes goes out batched too), on a worker thread if any of its keyspaces has a blocking engine,
 * and answers once every request has its reply. A reply that would make the batched reply pass the
 * frame bound is replaced by a {@code LIMIT} refusal naming {@code ringstore.bus.maxFrameBytes}
 * (those to reads and scans first, largest first); the sender asks such a read or scan again alone.
 * {@link #sendCorked()} sends a thread's queues early, its corks staying open (before it waits).
 *
 * <p>Thread-safety: thread-safe; a cork belongs to the thread that opened it (a thread-local of
 * this transport).
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
  /** The bytes of a frame a batch leaves for the event bus's envelope (addresses, headers). */
  static final int ENVELOPE_BYTES = 1024;

  private final Vertx vertx;
  private final String self;
  private final int maxFrameBytes;
  private final int maxInFlight;
  private final ReplicaEndpoint endpoint;
  private final RingstoreNode node;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ThreadLocal<@Nullable Corked> corked = new ThreadLocal<>();
  private volatile @Nullable MessageConsumer<Buffer> consumer;

  EventBusReplicas(Vertx vertx, RingstoreNode node, int maxFrameBytes, int maxInFlight) {
    this.vertx = vertx;
    this.node = node;
    this.self = node.nodeId();
    this.maxFrameBytes = maxFrameBytes;
    this.maxInFlight = maxInFlight;
    this.endpoint = new ReplicaEndpoint(node, node.options().env().ticker());
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
    Queued queued = new Queued(request, frame, reply);
    Corked c = corked.get();
    if (c != null) {
      c.queues.computeIfAbsent(new Destination(nodeId, timeoutMillis), d -> new ArrayList<>()).add(queued);
      return reply;
    }
    sendAlone(new Destination(nodeId, timeoutMillis), queued);
    return reply;
  }

  @Override
  public Cork cork() {
    Corked c = corked.get();
    if (c == null) {
      c = new Corked(Thread.currentThread());
      corked.set(c);
    }
    c.depth++;
    return new OpenCork(c);
  }

  @Override
  public void sendCorked() {
    Corked c = corked.get();
    if (c != null && !c.queues.isEmpty()) {
      Map<Destination, List<Queued>> held = new LinkedHashMap<>(c.queues);
      c.queues.clear();
      flush(held);
    }
  }

  /** Where a queued request goes: a batch holds requests to one node with one timeout. */
  private record Destination(String nodeId, long timeoutMillis) {}

  /** A request held by a cork, its frame (already checked against the bound) and its reply to complete. */
  private record Queued(ReplicaRequest request, byte[] frame, CompletableFuture<ReplicaReply> reply) {}

  /** A thread's cork: the requests it holds; used only by its thread. */
  private static final class Corked {
    final Thread owner;
    final Map<Destination, List<Queued>> queues = new LinkedHashMap<>();
    int depth;

    Corked(Thread owner) {
      this.owner = owner;
    }
  }

  /** One {@link #cork()}'s handle: closing it twice counts once. */
  private final class OpenCork implements Cork {
    private final Corked corked;
    private boolean closed;

    OpenCork(Corked corked) {
      this.corked = corked;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (Thread.currentThread() != corked.owner) {
        throw new IllegalStateException("a cork of node " + self + "'s replica transport is closed on thread "
            + Thread.currentThread().getName() + ", not on " + corked.owner.getName() + " that opened it");
      }
      closed = true;
      if (--corked.depth == 0) {
        EventBusReplicas.this.corked.remove();
        flush(corked.queues);
      }
    }
  }

  /** Sends each destination's queued requests: one frame for one, batches for more. */
  private void flush(Map<Destination, List<Queued>> queues) {
    long bound = (long) maxFrameBytes - ENVELOPE_BYTES;
    queues.forEach((destination, queue) -> {
      if (queue.size() == 1) {
        sendAlone(destination, queue.get(0));
        return;
      }
      List<Queued> batch = new ArrayList<>();
      long bytes = WireCodec.BATCH_HEADER_BYTES;
      for (Queued queued : queue) {
        int element = WireCodec.batchElementBytes(queued.frame.length);
        if (!batch.isEmpty() && (batch.size() == WireCodec.MAX_BATCH || bytes + element > bound)) {
          sendBatch(destination, batch);
          batch = new ArrayList<>();
          bytes = WireCodec.BATCH_HEADER_BYTES;
        }
        batch.add(queued);
        bytes += element;
      }
      sendBatch(destination, batch);
    });
  }

  private void sendAlone(Destination destination, Queued queued) {
    String nodeId = destination.nodeId;
    long timeoutMillis = destination.timeoutMillis;
    CompletableFuture<ReplicaReply> reply = queued.reply;
    sendFrame(destination, queued.frame, 1, ar -> {
      if (ar.failed()) {
        reply.completeExceptionally(unreachable(nodeId, ar.cause(), timeoutMillis));
        return;
      }
      try {
        reply.complete(WireCodec.decodeReply(ar.result().body().getBytes(), maxFrameBytes));
      } catch (RingstoreException e) {
        reply.completeExceptionally(badFrame(nodeId, e));
      }
    });
  }

  private void sendBatch(Destination destination, List<Queued> batch) {
    if (batch.size() == 1) {
      sendAlone(destination, batch.get(0));
      return;
    }
    String nodeId = destination.nodeId;
    long timeoutMillis = destination.timeoutMillis;
    List<byte[]> frames = new ArrayList<>(batch.size());
    for (Queued queued : batch) {
      frames.add(queued.frame);
    }
    byte[] frame;
    try {
      frame = WireCodec.encodeBatch(frames);
    } catch (RuntimeException e) { // not expected: each frame is one encode wrote
      inFlight.addAndGet(-batch.size());
      batch.forEach(queued -> queued.reply.completeExceptionally(e));
      return;
    }
    sendFrame(destination, frame, batch.size(), ar -> {
      if (ar.failed()) {
        batch.forEach(queued -> queued.reply.completeExceptionally(unreachable(nodeId, ar.cause(), timeoutMillis)));
        return;
      }
      ReplicaReply answer;
      try {
        answer = WireCodec.decodeReply(ar.result().body().getBytes(), maxFrameBytes);
      } catch (RingstoreException e) {
        batch.forEach(queued -> queued.reply.completeExceptionally(badFrame(nodeId, e)));
        return;
      }
      if (answer instanceof ReplicaReply.Batched batched && batched.replies().size() == batch.size()) {
        for (int i = 0; i < batch.size(); i++) {
          Queued queued = batch.get(i);
          ReplicaReply reply = batched.replies().get(i);
          if (didNotFit(queued.request, reply)) { // a read or scan whose answer had no room: asked again alone
            send(nodeId, queued.request, timeoutMillis).whenComplete((again, failure) -> {
              if (failure != null) {
                queued.reply.completeExceptionally(failure);
              } else {
                queued.reply.complete(again);
              }
            });
          } else {
            queued.reply.complete(reply);
          }
        }
      } else if (answer instanceof ReplicaReply.Refused) {
        batch.forEach(queued -> queued.reply.complete(answer)); // the batch as a whole was refused
      } else {
        String why = "node " + nodeId + " answered a batch of " + batch.size() + " requests with " + describe(answer);
        batch.forEach(queued -> queued.reply.completeExceptionally(new ReplicaUnreachableException(nodeId, why)));
      }
    });
  }

  private static String describe(ReplicaReply answer) {
    return answer instanceof ReplicaReply.Batched batched ? "a batched reply of " + batched.replies().size() + " replies"
        : "a " + answer.getClass().getSimpleName() + " reply";
  }

  private static boolean didNotFit(ReplicaRequest request, ReplicaReply reply) {
    return (request instanceof ReplicaRequest.Read || request instanceof ReplicaRequest.Scan)
        && reply instanceof ReplicaReply.Refused refused && refused.reason() == ReplicaReply.Refused.Reason.LIMIT
        && WireCodec.MAX_FRAME_BYTES_SETTING.equals(refused.setting());
  }

  /** Sends one frame holding {@code requests} requests (counted in flight already); {@code handler} gets the outcome. */
  private void sendFrame(Destination destination, byte[] frame, int requests, Handler<AsyncResult<Message<Buffer>>> handler) {
    Future<Message<Buffer>> sent;
    try {
      sent = vertx.eventBus().request(ADDRESS_PREFIX + destination.nodeId, Buffer.buffer(frame),
          new DeliveryOptions().setSendTimeout(destination.timeoutMillis));
    } catch (RuntimeException e) {
      inFlight.addAndGet(-requests);
      handler.handle(Future.failedFuture(e));
      return;
    }
    sent.onComplete(ar -> {
      inFlight.addAndGet(-requests);
      handler.handle(ar);
    });
  }

  private static ReplicaUnreachableException badFrame(String nodeId, RingstoreException e) {
    return new ReplicaUnreachableException(nodeId, "node " + nodeId + " answered with a bad frame: " + e.getMessage(), e);
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
    if (request instanceof ReplicaRequest.Batch batch) {
      onBatch(message, batch);
      return;
    }
    if (node.blocks(request.keyspace()) || scansKeyspace(request)) {
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
    // what the request sends on (a primary's copies of a commit to the other replicas) waits in a cork
    // until the reply is written, if the reply is known at once (the write's quorum met without them)
    try (Cork sends = cork()) {
      endpoint.handle(request).whenComplete((reply, failure) -> answer(message, failure != null ? error(failure) : reply));
    }
  }

  /** Whether answering {@code request} scans the whole keyspace (an anti-entropy tree or key list): never on an event loop. */
  private static boolean scansKeyspace(ReplicaRequest request) {
    return request instanceof ReplicaRequest.Tree || request instanceof ReplicaRequest.Keys;
  }

  private void onBatch(Message<Buffer> message, ReplicaRequest.Batch batch) {
    boolean blocks = false;
    for (ReplicaRequest request : batch.requests()) {
      if (node.blocks(request.keyspace()) || scansKeyspace(request)) {
        blocks = true;
        break;
      }
    }
    if (blocks) {
      vertx.<List<CompletableFuture<ReplicaReply>>>executeBlocking(() -> handleAll(batch), false).onComplete(ar -> {
        if (ar.failed()) {
          answer(message, error(ar.cause()));
        } else {
          answerAll(message, batch, ar.result());
        }
      });
      return;
    }
    answerAll(message, batch, handleAll(batch));
  }

  /** Handles each request of {@code batch} in order, inside a cork: what they send goes out batched. */
  private List<CompletableFuture<ReplicaReply>> handleAll(ReplicaRequest.Batch batch) {
    List<CompletableFuture<ReplicaReply>> replies = new ArrayList<>(batch.requests().size());
    try (Cork c = cork()) {
      for (ReplicaRequest request : batch.requests()) {
        CompletableFuture<ReplicaReply> reply;
        try {
          reply = endpoint.handle(request).toCompletableFuture();
        } catch (RuntimeException e) {
          reply = CompletableFuture.completedFuture(error(e));
        }
        replies.add(reply);
      }
    }
    return replies;
  }

  /** Once every reply is known, answers {@code message} with them all. */
  private void answerAll(Message<Buffer> message, ReplicaRequest.Batch batch, List<CompletableFuture<ReplicaReply>> replies) {
    CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).whenComplete((done, ignored) -> {
      byte[] frame;
      try {
        frame = batchedFrame(batch, replies);
      } catch (RuntimeException e) {
        answer(message, error(e));
        return;
      }
      message.reply(Buffer.buffer(frame));
    });
  }

  /**
   * The frame of the replies; replies that would make it pass the frame bound (less the envelope)
   * become shorter {@code LIMIT} refusals, those to reads and scans first (their senders ask again),
   * largest first.
   */
  private byte[] batchedFrame(ReplicaRequest.Batch batch, List<CompletableFuture<ReplicaReply>> replies) {
    int n = replies.size();
    byte[][] frames = new byte[n][];
    long total = WireCodec.BATCH_HEADER_BYTES;
    for (int i = 0; i < n; i++) {
      ReplicaReply reply;
      try {
        reply = replies.get(i).join();
      } catch (RuntimeException e) {
        reply = error(e.getCause() != null ? e.getCause() : e);
      }
      try {
        frames[i] = WireCodec.encode(reply);
      } catch (RuntimeException e) {
        frames[i] = WireCodec.encode(error(e));
      }
      total += WireCodec.batchElementBytes(frames[i].length);
    }
    long bound = (long) maxFrameBytes - ENVELOPE_BYTES;
    if (total > bound) {
      List<ReplicaRequest> requests = batch.requests();
      Integer[] order = new Integer[n];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, Comparator.<Integer>comparingInt(i -> requests.get(i) instanceof ReplicaRequest.Read
              || requests.get(i) instanceof ReplicaRequest.Scan ? 0 : 1)
          .thenComparing(Comparator.<Integer>comparingInt(i -> frames[i].length).reversed()));
      for (int i : order) {
        if (total <= bound) {
          break;
        }
        byte[] refusal = WireCodec.encode(new ReplicaReply.Refused(ReplicaReply.Refused.Reason.LIMIT,
            "node " + self + ": a reply of " + frames[i].length + " bytes had no room in a batched reply",
            WireCodec.MAX_FRAME_BYTES_SETTING, frames[i].length, maxFrameBytes));
        if (refusal.length < frames[i].length) {
          total += WireCodec.batchElementBytes(refusal.length) - WireCodec.batchElementBytes(frames[i].length);
          frames[i] = refusal;
        }
      }
    }
    return WireCodec.encodeBatched(Arrays.asList(frames));
  }

  private ReplicaReply error(Throwable failure) {
    return new ReplicaReply.Refused(ReplicaReply.Refused.Reason.ERROR, "node " + self + ": " + failure, "", 0, 0);
  }

  private static void answer(Message<Buffer> message, ReplicaReply reply) {
    message.reply(Buffer.buffer(WireCodec.encode(reply)));
  }
}
