package io.ringstore.cluster.vertx;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The TCP channel between Ringstore cluster managers: requests with a reply, each with a timeout.
 *
 * <p>Frame ({@code docs/formats/cluster-channel.md}), big-endian: {@code length u32} (of what
 * follows) | {@code version u8} (1) | {@code type u8} | {@code requestId u64} | payload. A frame
 * longer than {@code maxFrameBytes}, or of an unknown version, closes the connection with a
 * WARNING naming the value and the bound. Types: {@link #REQUEST} (answered by the handler),
 * {@link #REPLY_OK}, {@link #REPLY_ERROR} (payload: UTF-8 message).
 *
 * <p>Thread-safety: thread-safe; the handler runs on the Vert.x event loop of the connection.
 */
final class ClusterChannel {
  private static final System.Logger LOG = System.getLogger(ClusterChannel.class.getName());

  static final int VERSION = 1;
  static final byte REQUEST = 1;
  static final byte REPLY_OK = 2;
  static final byte REPLY_ERROR = 3;
  private static final int HEADER_BYTES = 1 + 1 + 8;

  // constant after construction
  private final Vertx vertx;
  private final int maxFrameBytes;
  private final Duration requestTimeout;
  private final BiFunction<Buffer, String, Future<Buffer>> handler;
  private final NetClient client;
  private final AtomicLong nextRequestId = new AtomicLong();

  // thread-safe maps
  private final Map<String, Future<NetSocket>> connections = new ConcurrentHashMap<>();
  private final Map<Long, Promise<Buffer>> pending = new ConcurrentHashMap<>();

  private volatile NetServer server;

  /**
   * A channel on {@code vertx}; {@code handler} answers a request payload (and the peer's remote
   * address, for logs) with a reply payload, or a failed future whose message is sent back.
   */
  ClusterChannel(Vertx vertx, int maxFrameBytes, Duration requestTimeout, BiFunction<Buffer, String, Future<Buffer>> handler) {
    this.vertx = vertx;
    this.maxFrameBytes = maxFrameBytes;
    this.requestTimeout = requestTimeout;
    this.handler = handler;
    // Built outside Vert.x's close hooks, as Vert.x's own clustered event bus builds its client:
    // Vert.x closes the clients it tracks before it calls the cluster manager's leave(), and
    // leaving needs this client to tell the coordinator. close() closes it.
    this.client = new io.vertx.core.net.impl.tcp.NetClientBuilder((io.vertx.core.internal.VertxInternal) vertx,
        new NetClientOptions().setConnectTimeout((int) requestTimeout.toMillis())).build();
  }

  /** Listens on {@code host:port} (port 0: any free port); completes with the bound port. */
  Future<Integer> listen(String host, int port) {
    NetServer s = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port));
    s.connectHandler(socket -> frames(socket, true));
    server = s;
    return s.listen().map(NetServer::actualPort);
  }

  /** Sends {@code payload} as a request to {@code address} ({@code host:port}); fails on timeout. */
  Future<Buffer> request(String address, Buffer payload) {
    long id = nextRequestId.incrementAndGet();
    Promise<Buffer> promise = Promise.promise();
    pending.put(id, promise);
    long timer = vertx.setTimer(requestTimeout.toMillis(), t -> {
      Promise<Buffer> p = pending.remove(id);
      if (p != null) {
        p.tryFail("no reply from " + address + " within cluster.requestTimeout = " + requestTimeout.toMillis() + " ms");
      }
    });
    connection(address).onComplete(ar -> {
      if (ar.failed()) {
        connections.remove(address);
        Promise<Buffer> p = pending.remove(id);
        if (p != null) {
          p.tryFail(ar.cause());
        }
      } else {
        ar.result().write(frame(REQUEST, id, payload));
      }
    });
    return promise.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  private Future<NetSocket> connection(String address) {
    return connections.computeIfAbsent(address, a -> {
      int colon = a.lastIndexOf(':');
      return client.connect(Integer.parseInt(a.substring(colon + 1)), a.substring(0, colon)).andThen(ar -> {
        if (ar.succeeded()) {
          NetSocket socket = ar.result();
          frames(socket, false);
          socket.closeHandler(v -> connections.remove(a));
        }
      });
    });
  }

  /** Drops the cached connection to {@code address}, if any. */
  void forget(String address) {
    Future<NetSocket> f = connections.remove(address);
    if (f != null) {
      f.onSuccess(NetSocket::close);
    }
  }

  private void frames(NetSocket socket, boolean serverSide) {
    RecordParser parser = RecordParser.newFixed(4);
    int[] expected = {-1};
    parser.handler(chunk -> {
      if (expected[0] < 0) {
        long length = chunk.getUnsignedInt(0);
        if (length < HEADER_BYTES || length > maxFrameBytes) {
          LOG.log(Level.WARNING, "cluster channel: frame of {0} bytes from {1}; need {2} to cluster.maxFrameBytes = {3}; closing",
              length, socket.remoteAddress(), HEADER_BYTES, maxFrameBytes);
          socket.close();
          return;
        }
        expected[0] = (int) length;
        parser.fixedSizeMode((int) length);
      } else {
        expected[0] = -1;
        parser.fixedSizeMode(4);
        onFrame(socket, chunk, serverSide);
      }
    });
    socket.handler(parser);
  }

  private void onFrame(NetSocket socket, Buffer frame, boolean serverSide) {
    int version = frame.getUnsignedByte(0);
    if (version != VERSION) {
      LOG.log(Level.WARNING, "cluster channel: frame version {0} from {1}; this build reads version {2} only; closing",
          version, socket.remoteAddress(), VERSION);
      socket.close();
      return;
    }
    byte type = frame.getByte(1);
    long id = frame.getLong(2);
    Buffer payload = frame.getBuffer(HEADER_BYTES, frame.length());
    if (type == REQUEST && serverSide) {
      Future<Buffer> reply;
      try {
        reply = handler.apply(payload, String.valueOf(socket.remoteAddress()));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onComplete(ar -> {
        if (ar.succeeded()) {
          socket.write(frame(REPLY_OK, id, ar.result()));
        } else {
          socket.write(frame(REPLY_ERROR, id, Buffer.buffer(String.valueOf(ar.cause().getMessage()))));
        }
      });
    } else if (type == REPLY_OK || type == REPLY_ERROR) {
      Promise<Buffer> p = pending.remove(id);
      if (p != null) {
        if (type == REPLY_OK) {
          p.tryComplete(payload);
        } else {
          p.tryFail(payload.toString());
        }
      }
    } else {
      LOG.log(Level.WARNING, "cluster channel: unknown frame type {0} from {1} (version {2}); closing",
          type, socket.remoteAddress(), VERSION);
      socket.close();
    }
  }

  private Buffer frame(byte type, long id, Buffer payload) {
    int length = HEADER_BYTES + payload.length();
    if (length > maxFrameBytes) {
      throw new IllegalStateException("cluster channel frame of " + length + " bytes exceeds cluster.maxFrameBytes = " + maxFrameBytes);
    }
    return Buffer.buffer(4 + length).appendInt(length).appendByte((byte) VERSION).appendByte(type).appendLong(id).appendBuffer(payload);
  }

  /** Closes the server and every connection; fails pending requests. */
  Future<Void> close() {
    pending.values().forEach(p -> p.tryFail("cluster channel closed"));
    pending.clear();
    NetServer s = server;
    Future<Void> serverClosed = s == null ? Future.succeededFuture() : s.close();
    return Future.join(serverClosed, client.close()).mapEmpty();
  }
}
