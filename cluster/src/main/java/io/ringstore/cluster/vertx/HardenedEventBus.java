package io.ringstore.cluster.vertx;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The clustered event bus of one Ringstore node, with the two gaps Vert.x 5 leaves closed
 * ({@code docs/event-bus-security.md}):
 *
 * <ol>
 *   <li><b>Frame size.</b> Vert.x reads each incoming frame whole, whatever length the peer
 *       declares. The node's Vert.x instance runs on a {@link FrameBoundTransport}, which puts a
 *       {@link FrameGuard} on every event-bus connection: a frame longer than
 *       {@link EventBusSettings#maxFrameBytes()} closes the connection before any of it is
 *       buffered.
 *   <li><b>Trust.</b> Vert.x's {@link EventBusOptions} trust every certificate by default
 *       ({@code trustAll} is true) and ask no client certificate ({@code clientAuth} NONE), and its
 *       bus client does not check host names. With {@link EventBusSettings#tls()} set, the bus
 *       runs TLS with this node's key, the cluster's trust, {@code trustAll} false and
 *       {@code clientAuth} REQUIRED: both ends of every bus connection must show a certificate
 *       that chains to the cluster's trust. {@link #check} refuses event-bus options that would
 *       run TLS any other way.
 * </ol>
 *
 * <p>Use: {@code new HardenedEventBus(settings).clustered(clusterManager)}, or
 * {@link #builder(VertxOptions, ClusterManager)} to add more to the builder. One instance per
 * node (its transport serves one Vert.x instance, on one port).
 *
 * <p>Thread-safety: immutable after construction (the transport's counter aside).
 */
public final class HardenedEventBus {
  private static final System.Logger LOG = System.getLogger(HardenedEventBus.class.getName());

  // constant after construction
  private final EventBusSettings settings;
  private final FrameBoundTransport transport;

  /**
   * A node's event bus as {@code settings} say, over the transport they name ({@link
   * #baseTransport}). A port of 0 is replaced here by a free port of the host (the guard must know
   * the port before Vert.x binds it; if another process takes the port in between, Vert.x fails to
   * start, loudly).
   *
   * @throws IllegalStateException if the settings ask for native epoll and it cannot be loaded here
   */
  public HardenedEventBus(EventBusSettings settings) {
    this(settings, baseTransport(settings.transport()));
  }

  /**
   * The Vert.x transport {@code choice} names: {@code AUTO} is native epoll where it loads, else
   * NIO.
   *
   * @throws IllegalStateException for {@code EPOLL} where native epoll cannot be loaded, with why
   */
  public static Transport baseTransport(EventBusSettings.Net choice) {
    Transport epoll = Transport.EPOLL;
    boolean epollHere = epoll != null && epoll.available();
    switch (choice) {
      case NIO:
        return Transport.NIO;
      case EPOLL:
        if (!epollHere) {
          throw new IllegalStateException("ringstore.bus.transport = epoll, but native epoll cannot be loaded here ("
              + (epoll == null ? "its classes are not on the class path" : String.valueOf(epoll.unavailabilityCause()))
              + "); use auto or nio");
        }
        return epoll;
      default:
        return epollHere ? epoll : Transport.NIO;
    }
  }

  /** As {@link #HardenedEventBus(EventBusSettings)}, over {@code base} (a native transport, say). */
  public HardenedEventBus(EventBusSettings settings, Transport base) {
    this.settings = settings.port() == 0 ? settings.withPort(freePort(settings.host())) : settings;
    this.transport = new FrameBoundTransport(base, this.settings.port(), settings.maxFrameBytes());
    LOG.log(System.Logger.Level.DEBUG, "event bus on {0}:{1,number,#} over {2}", this.settings.host(), this.settings.port(),
        base.name());
    if (settings.tls() == null) {
      LOG.log(System.Logger.Level.INFO, "event bus on {0}:{1,number,#} without TLS: peers are not authenticated (fine on loopback"
          + " or a private network only)", this.settings.host(), this.settings.port());
    }
  }

  /** The settings, with the port chosen if they said 0. */
  public EventBusSettings settings() {
    return settings;
  }

  /** The transport to build the node's Vert.x instance with. */
  public FrameBoundTransport transport() {
    return transport;
  }

  /** How many bus connections were closed for a frame out of bounds. */
  public long refusedFrames() {
    return transport.refusedFrames();
  }

  /** Fresh event-bus options from the settings alone. */
  public EventBusOptions eventBusOptions() {
    return eventBusOptions(new EventBusOptions());
  }

  /**
   * {@code base} (copied; its ping intervals, timeouts, metadata... kept) with the host, port and
   * security of the settings, checked by {@link #check}.
   */
  public EventBusOptions eventBusOptions(EventBusOptions base) {
    EventBusOptions options = new EventBusOptions(base)
        .setHost(settings.host())
        .setPort(settings.port())
        .setTrustAll(false);
    EventBusTls tls = settings.tls();
    if (tls == null) {
      options.setSsl(false).setClientAuth(ClientAuth.NONE).setKeyCertOptions(null).setTrustOptions(null);
    } else {
      options.setSsl(true)
          .setKeyCertOptions(tls.keyCertificate())
          .setTrustOptions(tls.trust())
          .setClientAuth(ClientAuth.REQUIRED);
    }
    check(options);
    return options;
  }

  /** Fresh Vert.x options with {@link #eventBusOptions()}. */
  public VertxOptions vertxOptions() {
    return vertxOptions(new VertxOptions());
  }

  /** {@code base} (copied) with {@link #eventBusOptions(EventBusOptions)} of its event-bus options. */
  public VertxOptions vertxOptions(VertxOptions base) {
    VertxOptions options = new VertxOptions(base);
    return options.setEventBusOptions(eventBusOptions(options.getEventBusOptions()));
  }

  /** A builder with {@link #vertxOptions(VertxOptions)}, the guarded transport and {@code clusterManager}. */
  public VertxBuilder builder(VertxOptions base, ClusterManager clusterManager) {
    return Vertx.builder().with(vertxOptions(base)).withTransport(transport).withClusterManager(clusterManager);
  }

  /** The node's clustered Vert.x instance, with the settings' event loops and default options otherwise. */
  public Future<Vertx> clustered(ClusterManager clusterManager) {
    return builder(new VertxOptions().setEventLoopPoolSize(settings.eventLoops()), clusterManager).buildClustered();
  }

  /**
   * Refuses event-bus options that run TLS without a key, without explicit trust (Vert.x would use
   * the JDK's default CAs), with {@code trustAll}, or without required client certificates; and
   * key or trust options of a kind that Vert.x's clustered event bus drops when it copies its
   * options. Options without TLS pass.
   *
   * @throws IllegalArgumentException naming the option and its value
   */
  public static void check(EventBusOptions options) {
    if (!options.isSsl()) {
      return;
    }
    if (options.isTrustAll()) {
      throw new IllegalArgumentException("eventBusOptions.trustAll = true: the bus would accept any peer certificate;"
          + " need trustAll = false and the cluster's trust in trustOptions");
    }
    KeyCertOptions key = options.getKeyCertOptions();
    if (!(key instanceof PemKeyCertOptions || key instanceof PfxOptions || key instanceof JksOptions)) {
      throw new IllegalArgumentException("eventBusOptions.keyCertOptions = " + (key == null ? "null" : key.getClass().getName())
          + "; a TLS bus needs PemKeyCertOptions, PfxOptions or JksOptions (Vert.x's clustered event bus drops any other kind)");
    }
    TrustOptions trust = options.getTrustOptions();
    if (!(trust instanceof PemTrustOptions || trust instanceof PfxOptions || trust instanceof JksOptions)) {
      throw new IllegalArgumentException("eventBusOptions.trustOptions = " + (trust == null ? "null" : trust.getClass().getName())
          + "; a TLS bus needs PemTrustOptions, PfxOptions or JksOptions holding the cluster's trust (without them,"
          + " or with a kind the clustered event bus drops, Vert.x trusts the JDK's default CAs)");
    }
    if (options.getClientAuth() != ClientAuth.REQUIRED) {
      throw new IllegalArgumentException("eventBusOptions.clientAuth = " + options.getClientAuth()
          + "; a TLS bus needs REQUIRED (every peer shows a certificate the cluster's trust holds)");
    }
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("ringstore.bus.host = " + host + ": could not find a free port on it", e);
    }
  }
}
