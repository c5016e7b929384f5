package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the event bus, on real sockets: nodes built by {@link HardenedEventBus} with the
 * cluster's CA as trust (material from {@link TestPki}), and raw JDK TLS clients and servers that
 * show a member's certificate, a foreign one, or none.
 */
class EventBusTlsTest {
  @TempDir
  static Path dir;
  static TestPki pki;

  private final TestCluster cluster = new TestCluster();
  private final List<Vertx> started = new ArrayList<>();

  @BeforeAll
  static void makeTlsMaterial() throws Exception {
    pki = TestPki.create(dir);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoMembersTalkOverMutualTls() throws Exception {
    Vertx a = start(new HardenedEventBus(EventBusSettings.defaults().withTls(pki.memberTls())));
    Vertx b = start(new HardenedEventBus(EventBusSettings.defaults().withTls(pki.memberTls())));
    a.eventBus().<String>consumer("echo", m -> m.reply("echo: " + m.body())).completion().await(10, TimeUnit.SECONDS);
    assertThat(b.eventBus().<String>request("echo", "over TLS").await(10, TimeUnit.SECONDS).body()).isEqualTo("echo: over TLS");
  }

  @Test
  void aPeerWithoutACertificateTheClustersTrustHoldsIsRefused() throws Exception {
    HardenedEventBus bus = new HardenedEventBus(EventBusSettings.defaults().withTls(pki.memberTls()));
    start(bus);
    int port = bus.settings().port();

    assertThat(refused(pki.clientContext(pki.foreignStore), port)).as("a foreign certificate").isTrue();
    assertThat(refused(pki.clientContext(null), port)).as("no certificate").isTrue();
    assertThat(refused(pki.clientContext(pki.memberStore), port)).as("a member's certificate").isFalse();
  }

  @Test
  void behindTlsTheFrameBoundStillHolds() throws Exception {
    HardenedEventBus bus = new HardenedEventBus(EventBusSettings.defaults().withTls(pki.memberTls()));
    start(bus);
    try (SSLSocket socket = (SSLSocket) pki.clientContext(pki.memberStore).getSocketFactory()
        .createSocket("127.0.0.1", bus.settings().port())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {0x40, 0, 0, 0}); // a frame of 1 GiB, inside TLS
      long written = EventBusFrameBoundTest.writeUntilRefused(out, 64 * 1024 * 1024);
      assertThat(written).isLessThan(64L * 1024 * 1024);
      assertThat(EventBusFrameBoundTest.endOfStream(socket.getInputStream())).isTrue();
    }
    assertThat(bus.refusedFrames()).isEqualTo(1);
  }

  @Test
  void theBusClientRefusesAServerWhoseCertificateTheTrustDoesNotHold() throws Exception {
    Vertx vertx = Vertx.vertx();
    started.add(vertx);
    EventBusOptions hardened = new HardenedEventBus(EventBusSettings.defaults().withTls(pki.memberTls())).eventBusOptions();
    EventBusOptions vertxDefault = new EventBusOptions().setSsl(true);
    try (SSLServerSocket server = (SSLServerSocket) pki.foreignServerContext().getServerSocketFactory()
        .createServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> acceptTwo(server), "foreign-tls-server");
      acceptor.start();
      // the clustered event bus makes its client exactly so: options through JSON, no host-name check
      Future<NetSocket> ours = connect(vertx, hardened, server.getLocalPort());
      Future<NetSocket> theirs = connect(vertx, vertxDefault, server.getLocalPort());
      assertThat(ours.transform(ar -> Future.succeededFuture(ar.failed())).await(10, TimeUnit.SECONDS))
          .as("hardened client fails against a foreign server").isTrue();
      assertThat(theirs.transform(ar -> Future.succeededFuture(ar.succeeded())).await(10, TimeUnit.SECONDS))
          .as("Vert.x's default event-bus client trusts it").isTrue();
      theirs.result().close();
      acceptor.join(10_000);
    }
  }

  private static Future<NetSocket> connect(Vertx vertx, EventBusOptions options, int port) {
    NetClient client = vertx.createNetClient(new NetClientOptions(options.toJson()).setHostnameVerificationAlgorithm(""));
    return client.connect(port, "127.0.0.1");
  }

  private static void acceptTwo(SSLServerSocket server) {
    List<Thread> handshakes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try {
        SSLSocket socket = (SSLSocket) server.accept();
        Thread handshake = new Thread(() -> {
          try (socket) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            socket.getInputStream().read();
          } catch (IOException e) {
            // the hardened client aborts the handshake; the other closes after connecting
          }
        }, "foreign-tls-connection");
        handshake.start();
        handshakes.add(handshake);
      } catch (IOException e) {
        return;
      }
    }
    for (Thread handshake : handshakes) {
      try {
        handshake.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** True if the node ends the TLS connection of a client with {@code context}; false if it stays open. */
  private static boolean refused(SSLContext context, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(1000);
      socket.startHandshake();
      // under TLS 1.3 the server judges the client's certificate after the client finished: its
      // alert, or the end of the stream, arrives at the first read
      return socket.getInputStream().read() == -1;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException alert) {
      return true;
    }
  }

  private Vertx start(HardenedEventBus bus) throws Exception {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2);
    Vertx vertx = bus.builder(options, cluster.next()).buildClustered().await(30, TimeUnit.SECONDS);
    started.add(vertx);
    return vertx;
  }
}
