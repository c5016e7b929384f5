package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The frame bound on real sockets: two clustered nodes (Ringstore's cluster manager, loopback)
 * built by {@link HardenedEventBus}, and a raw TCP client that speaks to a node's event-bus port.
 */
class EventBusFrameBoundTest {
  private static final int ONE_GIB = 1 << 30;
  private static final int CHUNK = 64 * 1024;

  private final TestCluster cluster = new TestCluster();
  private final List<Vertx> started = new ArrayList<>();
  private final List<LogRecord> warnings = new ArrayList<>();
  private final Logger log = Logger.getLogger(FrameGuard.class.getName());
  private final Handler capture = new Handler() {
    @Override public synchronized void publish(LogRecord record) { warnings.add(record); }
    @Override public void flush() {}
    @Override public void close() {}
  };

  @BeforeEach
  void captureWarnings() {
    log.addHandler(capture);
  }

  @AfterEach
  void closeAll() throws Exception {
    log.removeHandler(capture);
    for (int i = started.size() - 1; i >= 0; i--) { // the seed node (the coordinator) last
      started.get(i).close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFrameDeclaringOneGibibyteClosesTheConnectionAndTheNodeStaysHealthy() throws Exception {
    HardenedEventBus busA = new HardenedEventBus(EventBusSettings.defaults());
    Vertx a = start(busA);
    Vertx b = start(new HardenedEventBus(EventBusSettings.defaults()));
    a.eventBus().<Buffer>consumer("size", m -> m.reply(m.body().length())).completion().await(10, TimeUnit.SECONDS);

    try (Socket raw = new Socket("127.0.0.1", busA.settings().port())) {
      raw.setSoTimeout(10_000);
      OutputStream out = raw.getOutputStream();
      out.write(new byte[] {0x40, 0, 0, 0}); // a frame of 1 GiB
      long written = writeUntilRefused(out, 64 * 1024 * 1024);
      assertThat(written).as("bytes the node took after the header").isLessThan(64L * 1024 * 1024);
      assertThat(endOfStream(raw.getInputStream())).isTrue();
    }
    assertThat(busA.refusedFrames()).isEqualTo(1);
    synchronized (capture) {
      assertThat(warnings).singleElement().satisfies(record -> assertThat(record.getMessage())
          .startsWith("event-bus connection from /127.0.0.1:")
          .contains("a frame declares " + ONE_GIB + " bytes; limit ringstore.bus.maxFrameBytes = " + EventBusSettings.DEFAULT_FRAME_BYTES));
    }

    // healthy: a 1 MiB message crosses from b to a through the guard, and back
    Buffer mebibyte = Buffer.buffer(new byte[1024 * 1024]);
    Integer size = b.eventBus().<Integer>request("size", mebibyte).await(10, TimeUnit.SECONDS).body();
    assertThat(size).isEqualTo(1024 * 1024);
  }

  @Test
  void aPeersMessageOverTheBoundIsRefusedAndLaterMessagesStillFlow() throws Exception {
    HardenedEventBus busA = new HardenedEventBus(EventBusSettings.defaults().withMaxFrameBytes(EventBusSettings.MIN_FRAME_BYTES));
    Vertx a = start(busA);
    Vertx b = start(new HardenedEventBus(EventBusSettings.defaults()));
    a.eventBus().<Buffer>consumer("size", m -> m.reply(m.body().length())).completion().await(10, TimeUnit.SECONDS);

    DeliveryOptions shortWait = new DeliveryOptions().setSendTimeout(1000);
    Throwable tooLong = b.eventBus().request("size", Buffer.buffer(new byte[100 * 1024]), shortWait)
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
    assertThat(tooLong).isNotNull();
    assertThat(busA.refusedFrames()).isEqualTo(1);

    // b reconnects for the next message
    Integer size = b.eventBus().<Integer>request("size", Buffer.buffer(new byte[1000])).await(10, TimeUnit.SECONDS).body();
    assertThat(size).isEqualTo(1000);
  }

  @Test
  void aNodeOverNioAndANodeOverNativeEpollTalkBothWays() throws Exception {
    assumeTrue(io.vertx.core.transport.Transport.EPOLL != null && io.vertx.core.transport.Transport.EPOLL.available(),
        "native epoll is not available here");
    HardenedEventBus overNio = new HardenedEventBus(EventBusSettings.defaults().withTransport(EventBusSettings.Net.NIO));
    HardenedEventBus overEpoll = new HardenedEventBus(EventBusSettings.defaults().withTransport(EventBusSettings.Net.EPOLL));
    assertThat(overEpoll.transport().name()).isEqualTo("epoll");
    Vertx a = start(overNio);
    Vertx b = start(overEpoll);
    a.eventBus().<Buffer>consumer("size-a", m -> m.reply(m.body().length())).completion().await(10, TimeUnit.SECONDS);
    b.eventBus().<Buffer>consumer("size-b", m -> m.reply(m.body().length())).completion().await(10, TimeUnit.SECONDS);
    assertThat(b.eventBus().<Integer>request("size-a", Buffer.buffer(new byte[1000])).await(10, TimeUnit.SECONDS).body())
        .isEqualTo(1000);
    assertThat(a.eventBus().<Integer>request("size-b", Buffer.buffer(new byte[2000])).await(10, TimeUnit.SECONDS).body())
        .isEqualTo(2000);
  }

  @Test
  void withoutTheGuardVertxKeepsReadingTheFrame() throws Exception {
    // the gap: a plain clustered Vert.x takes every byte of a declared 1 GiB frame into its buffer
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2)
        .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(port));
    Vertx plain = Vertx.builder().with(options).withClusterManager(cluster.next()).buildClustered().await(30, TimeUnit.SECONDS);
    started.add(plain);
    try (Socket raw = new Socket("127.0.0.1", port)) {
      raw.setSoTimeout(300);
      OutputStream out = raw.getOutputStream();
      out.write(new byte[] {0x40, 0, 0, 0});
      int eightMebibytes = 8 * 1024 * 1024;
      assertThat(writeUntilRefused(out, eightMebibytes)).isEqualTo(eightMebibytes);
      assertThat(endOfStream(raw.getInputStream())).isFalse(); // still open, still reading
    }
  }

  private Vertx start(HardenedEventBus bus) throws Exception {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2);
    Vertx vertx = bus.builder(options, cluster.next()).buildClustered().await(30, TimeUnit.SECONDS);
    started.add(vertx);
    return vertx;
  }

  /** Writes up to {@code bytes} zeros; returns how many were written before the peer refused more. */
  static long writeUntilRefused(OutputStream out, long bytes) {
    byte[] chunk = new byte[CHUNK];
    long written = 0;
    try {
      while (written < bytes) {
        out.write(chunk);
        out.flush();
        written += chunk.length;
      }
    } catch (IOException refused) {
      // connection reset or broken pipe: the node closed the connection
    }
    return written;
  }

  /** True if the peer closed (end of stream or reset), false if the read timed out on an open connection. */
  static boolean endOfStream(InputStream in) {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
