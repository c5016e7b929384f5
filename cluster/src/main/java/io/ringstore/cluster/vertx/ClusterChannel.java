package io.ringstore.cluster.vertx;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.RingstoreException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.tcp.NetClientBuilder;
import io.vertx.core.net.impl.tcp.NetServerBuilder;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The TCP channel between Ringstore cluster managers: requests with a reply, each with a timeout,
 * and one-way gossip frames. Frames ({@link ChannelFrame}, cut by {@link FrameDecoder}) are laid
 * out in {@code docs/formats/cluster-channel.md}; a malformed frame (too long, unknown version or
 * type) closes the connection with a WARNING naming the value and the bound.
 *
 * <p><b>Connections.</b> A channel keeps one outgoing connection per peer address; the first frame
 * on it is a {@code HELLO} with this node's Vert.x node id, so the peer knows the
 * <em>origin</em> of every request on that connection. Requests go out on outgoing connections and
 * are answered on them; requests and gossip come in on the server's connections. A request fails
 * when its connection fails or closes, or after {@code requestTimeout}. Once the channel is closing,
 * requests are no longer answered (their requesters see the connection close).
 *
 * <p><b>Lifetime.</b> The server and the client are built outside Vert.x's close hooks, as Vert.x's
 * own clustered event bus builds its client: Vert.x closes what its close hooks hold before it
 * calls the cluster manager's {@code leave()}, and leaving still needs the channel both ways (the
 * coordinator sends the leaving node the last changes). {@link #close()} closes both. They are
 * built on {@link UnmeteredVertx}: the channel's connections are the cluster manager's own and are
 * not reported to Vert.x's metrics.
 *
 * <p><b>Its own event loop.</b> The server listens, and every outgoing connection is made, on the
 * channel's own event-loop context ({@code home}), never on the caller's: Vert.x binds a socket's
 * handlers to the context that opened it, and a caller may be a worker context that then blocks
 * waiting for the very reply that socket carries (Vert.x HA writes the sync map from worker
 * threads, and its node listener blocks for a whole failover): the reply would then wait behind
 * the blocked task, up to the request timeout. Request timeouts run on {@code home} too.
 *
 * <p>Thread-safety: thread-safe; the handlers run on the channel's event loop.
 */
final class ClusterChannel {
  private static final System.Logger LOG = System.getLogger(ClusterChannel.class.getName());

  /** Answers the requests that arrive on the channel. */
  @FunctionalInterface
  interface RequestHandler {
    /**
     * The reply to {@code payload}, sent by the node whose {@code HELLO} named {@code origin} (null
     * if none did), from {@code remote} (for logs); a failed future is sent back as an error, a
     * {@link NotMemberException} as a refusal.
     */
    Future<Buffer> handle(Buffer payload, @Nullable String origin, String remote);
  }

  /** The peer answered a request with an error (its message is this exception's). */
  static final class RemoteError extends RingstoreException {
    private static final long serialVersionUID = 1L;

    RemoteError(String message) {
      super(message);
    }
  }

  private record Pending(Promise<Buffer> promise, Future<NetSocket> connection) {}

  // constant after construction
  private final Vertx vertx;
  private final VertxInternal unmetered;
  private final ContextInternal home;
  private final String selfId;
  private final int maxFrameBytes;
  private final Duration requestTimeout;
  private final RequestHandler handler;
  private final Consumer<byte[]> gossip;
  private final NetClient client;
  private final AtomicLong nextRequestId = new AtomicLong();

  // thread-safe maps
  private final Map<String, Future<NetSocket>> connections = new ConcurrentHashMap<>();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

  private volatile @Nullable NetServer server;
  private volatile boolean closed;
  private volatile boolean deaf; // a test hook: incoming requests and gossip are dropped

  /**
   * A channel of the node whose Vert.x node id is {@code selfId}: {@code handler} answers requests,
   * {@code gossip} takes the payload of every incoming gossip frame; {@code home} is the event-loop
   * context its sockets and timers run on (see the class comment).
   */
  ClusterChannel(Vertx vertx, ContextInternal home, String selfId, int maxFrameBytes, Duration requestTimeout,
      RequestHandler handler, Consumer<byte[]> gossip) {
    this.vertx = vertx;
    this.unmetered = UnmeteredVertx.of(vertx);
    this.home = home;
    this.selfId = selfId;
    this.maxFrameBytes = maxFrameBytes;
    this.requestTimeout = requestTimeout;
    this.handler = handler;
    this.gossip = gossip;
    this.client = new NetClientBuilder(unmetered, new NetClientOptions().setConnectTimeout((int) requestTimeout.toMillis())).build();
  }

  /** Listens on {@code host:port} (port 0: any free port); completes with the bound port. */
  Future<Integer> listen(String host, int port) {
    NetServer s = new NetServerBuilder(unmetered, new NetServerOptions().setHost(host).setPort(port)).cleanable(false).build();
    s.connectHandler(this::accepted);
    server = s;
    Promise<Integer> bound = Promise.promise();
    home.runOnContext(v -> s.listen().map(NetServer::actualPort).onComplete(bound)); // accepted sockets run on home
    return bound.future();
  }

  /** Sends {@code payload} as a request to {@code address} ({@code host:port}); fails on timeout. */
  Future<Buffer> request(String address, Buffer payload) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("cluster channel of node " + selfId + " is closed"));
    }
    long id = nextRequestId.incrementAndGet();
    Promise<Buffer> promise = Promise.promise();
    Future<NetSocket> connection = connection(address);
    pending.put(id, new Pending(promise, connection));
    long timer = home.setTimer(requestTimeout.toMillis(), t -> fail(id, new IllegalStateException("no reply from "
        + address + " within ringstore.cluster.requestTimeout = " + requestTimeout.toMillis() + " ms")));
    connection.onComplete(ar -> {
      if (ar.failed()) {
        fail(id, ar.cause());
        return;
      }
      try {
        ar.result().write(frame(ChannelFrame.Type.REQUEST, id, payload));
      } catch (RuntimeException e) {
        fail(id, e);
      }
    });
    return promise.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  /** Sends a gossip frame to {@code address}, best effort: nothing is reported if it is lost. */
  void sendGossip(String address, byte[] gossipFrame) {
    if (closed) {
      return;
    }
    connection(address).onSuccess(socket -> socket.write(frame(ChannelFrame.Type.GOSSIP, 0, Buffer.buffer(gossipFrame))));
  }

  private void fail(long id, Throwable cause) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.promise().tryFail(cause);
    }
  }

  private Future<NetSocket> connection(String address) {
    Future<NetSocket> existing = connections.get(address);
    if (existing != null) {
      return existing;
    }
    Promise<NetSocket> promise = Promise.promise();
    Future<NetSocket> mine = promise.future();
    Future<NetSocket> raced = connections.putIfAbsent(address, mine);
    if (raced != null) {
      return raced;
    }
    int colon = address.lastIndexOf(':');
    Promise<NetSocket> connected = Promise.promise();
    home.runOnContext(v -> client.connect(Integer.parseInt(address.substring(colon + 1)), address.substring(0, colon))
        .onComplete(connected)); // the socket's handlers run on home, whoever asked
    connected.future().onComplete(ar -> {
      if (ar.failed()) {
        connections.remove(address, mine);
        promise.fail(ar.cause());
        return;
      }
      NetSocket socket = ar.result();
      FrameDecoder decoder = new FrameDecoder(maxFrameBytes);
      socket.handler(bytes -> frames(socket, decoder, bytes).forEach(f -> onReply(socket, f)));
      socket.closeHandler(v -> {
        connections.remove(address, mine);
        pending.forEach((id, p) -> {
          if (p.connection() == mine) {
            fail(id, new IllegalStateException("connection to " + address + " closed before the reply"));
          }
        });
      });
      socket.write(frame(ChannelFrame.Type.HELLO, 0, Buffer.buffer(selfId)));
      if (closed) {
        socket.close();
      }
      promise.complete(socket);
    });
    return mine;
  }

  /** Drops the cached connection to {@code address}, if any. */
  void forget(String address) {
    Future<NetSocket> f = connections.remove(address);
    if (f != null) {
      f.onSuccess(NetSocket::close);
    }
  }

  private void accepted(NetSocket socket) {
    FrameDecoder decoder = new FrameDecoder(maxFrameBytes);
    String[] origin = {null};
    socket.handler(bytes -> {
      for (ChannelFrame f : frames(socket, decoder, bytes)) {
        if (f.type() == ChannelFrame.Type.HELLO && origin[0] == null) {
          origin[0] = f.payload().asUtf8();
        } else if (f.type() == ChannelFrame.Type.REQUEST) {
          if (!deaf && !closed) {
            onRequest(socket, f, origin[0]);
          }
        } else if (f.type() == ChannelFrame.Type.GOSSIP) {
          if (!deaf) {
            gossip.accept(f.payload().toByteArray());
          }
        } else {
          protocolError(socket, f);
          return;
        }
      }
    });
  }

  private List<ChannelFrame> frames(NetSocket socket, FrameDecoder decoder, Buffer bytes) {
    try {
      return decoder.feed(bytes.getBytes());
    } catch (MalformedFrameException e) {
      LOG.log(Level.WARNING, "cluster channel of node {0}: {1}, from {2}; closing the connection", selfId, e.getMessage(),
          socket.remoteAddress());
      socket.close();
      return List.of();
    }
  }

  private void protocolError(NetSocket socket, ChannelFrame f) {
    LOG.log(Level.WARNING, "cluster channel of node {0}: a {1} frame from {2} is not expected on this side of the "
        + "connection (version {3}); closing the connection", selfId, f.type(), socket.remoteAddress(), ChannelFrame.VERSION);
    socket.close();
  }

  private void onRequest(NetSocket socket, ChannelFrame f, @Nullable String origin) {
    Future<Buffer> reply;
    try {
      reply = handler.handle(Buffer.buffer(f.payload().toByteArray()), origin, String.valueOf(socket.remoteAddress()));
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    long id = f.requestId();
    reply.onComplete(ar -> {
      if (closed) {
        return; // the requester sees the connection close: a transport failure, which it may retry elsewhere
      }
      Buffer answer;
      try {
        if (ar.succeeded()) {
          answer = frame(ChannelFrame.Type.REPLY_OK, id, ar.result());
        } else {
          ChannelFrame.Type type = ar.cause() instanceof NotMemberException
              ? ChannelFrame.Type.REPLY_NOT_MEMBER : ChannelFrame.Type.REPLY_ERROR;
          answer = frame(type, id, Buffer.buffer(String.valueOf(ar.cause().getMessage())));
        }
      } catch (RuntimeException e) {
        answer = frame(ChannelFrame.Type.REPLY_ERROR, id, Buffer.buffer(String.valueOf(e.getMessage())));
      }
      socket.write(answer);
    });
  }

  private void onReply(NetSocket socket, ChannelFrame f) {
    String message = new String(f.payload().unsafeArray(), 0, f.payload().length(), StandardCharsets.UTF_8);
    switch (f.type()) {
      case REPLY_OK -> complete(f.requestId(), Buffer.buffer(f.payload().toByteArray()));
      case REPLY_ERROR -> fail(f.requestId(), new RemoteError(message));
      case REPLY_NOT_MEMBER -> fail(f.requestId(), new NotMemberException(message));
      default -> protocolError(socket, f);
    }
  }

  private void complete(long id, Buffer payload) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.promise().tryComplete(payload);
    }
  }

  private Buffer frame(ChannelFrame.Type type, long id, Buffer payload) {
    return Buffer.buffer(new ChannelFrame(type, id, Bytes.of(payload.getBytes())).encode(maxFrameBytes));
  }

  /** Test hook: while deaf, incoming requests and gossip are dropped unanswered (a paused process). */
  void deaf(boolean deaf) {
    this.deaf = deaf;
  }

  /** Whether {@link #close} was called. */
  boolean isClosed() {
    return closed;
  }

  /** Closes the server and every connection; fails pending requests. */
  Future<Void> close() {
    closed = true;
    pending.keySet().forEach(id -> fail(id, new IllegalStateException("cluster channel of node " + selfId + " closed")));
    NetServer s = server;
    Future<Void> serverClosed = s == null ? Future.succeededFuture() : s.close();
    return Future.join(serverClosed, client.close()).mapEmpty();
  }
}
