package io.ringstore.cluster.vertx;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * How a node's clustered event bus listens and what it accepts; see {@link HardenedEventBus}.
 * Checked here, with errors that name the setting, the value and the bound.
 *
 * <p>Thread-safety: immutable.
 *
 * @param host the interface the event bus listens on and publishes to its peers (default
 *     {@code 127.0.0.1})
 * @param port the event bus's port (default 0: a free port, chosen when the
 *     {@link HardenedEventBus} is made)
 * @param maxFrameBytes the largest event-bus frame this node reads (64 KiB to 256 MiB, default
 *     16 MiB): a peer that declares a longer frame is disconnected before any of it is buffered.
 *     It must exceed the largest message any node sends
 * @param tls the TLS material, or null for a plain-TCP bus (for loopback and trusted networks only)
 * @param eventLoops the event-loop threads of the node's Vert.x instance (1 to 1024, default: the
 *     number of processors, half of Vert.x's own default: fewer loops mean fewer hand-offs between
 *     threads on a replica round trip; on a 2-core machine one or two loops served about a third
 *     more quorum reads and writes per second than Vert.x's four)
 * @param transport the socket layer under the bus (default {@link Net#AUTO}: Linux's native epoll
 *     where it is available, else Java's NIO)
 */
public record EventBusSettings(String host, int port, int maxFrameBytes, @Nullable EventBusTls tls, int eventLoops,
    Net transport) {

  /**
   * The socket layer under the event bus ({@code ringstore.bus.transport}). Native epoll makes
   * fewer system calls per message than NIO: on a 2-core Linux machine a quorum write over it took
   * about a fifth less time (bench/README.md).
   */
  public enum Net {
    /** Native epoll where it is available (Linux on x86_64 or aarch64), else NIO. */
    AUTO,
    /** Java's NIO selector: every platform. */
    NIO,
    /** Linux's native epoll; a node that cannot load it fails to start. */
    EPOLL;

    /** The value of {@code ringstore.bus.transport} that names it. */
    public String settingValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The transport {@code value} names, as {@code ringstore.bus.transport} takes it. */
    public static Net of(String value) {
      for (Net net : values()) {
        if (net.settingValue().equals(value)) {
          return net;
        }
      }
      throw new IllegalArgumentException("ringstore.bus.transport = '" + value + "' is not one of auto, nio, epoll");
    }
  }

  /** The largest {@link #eventLoops()}. */
  public static final int MAX_EVENT_LOOPS = 1024;

  /** The smallest {@link #maxFrameBytes()}. */
  public static final int MIN_FRAME_BYTES = 64 * 1024;
  /** The largest {@link #maxFrameBytes()}. */
  public static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;
  /** The default {@link #maxFrameBytes()}. */
  public static final int DEFAULT_FRAME_BYTES = 16 * 1024 * 1024;

  /** Checks every setting. */
  public EventBusSettings {
    if (host.isBlank()) {
      throw new IllegalArgumentException("ringstore.bus.host is empty; need an interface name or address");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("ringstore.bus.port = " + port + " is out of range; need 0 to 65535");
    }
    if (maxFrameBytes < MIN_FRAME_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("ringstore.bus.maxFrameBytes = " + maxFrameBytes + " is out of range; need "
          + MIN_FRAME_BYTES + " to " + MAX_FRAME_BYTES);
    }
    if (eventLoops < 1 || eventLoops > MAX_EVENT_LOOPS) {
      throw new IllegalArgumentException("ringstore.bus.eventLoops = " + eventLoops + " is out of range; need 1 to "
          + MAX_EVENT_LOOPS);
    }
    requireNonNull(transport, "transport");
  }

  /** A plain-TCP or TLS bus with the default number of event loops and transport. */
  public EventBusSettings(String host, int port, int maxFrameBytes, @Nullable EventBusTls tls) {
    this(host, port, maxFrameBytes, tls, defaultEventLoops(), Net.AUTO);
  }

  /** The default {@link #eventLoops()}: the number of processors. */
  public static int defaultEventLoops() {
    return Math.min(MAX_EVENT_LOOPS, Runtime.getRuntime().availableProcessors());
  }

  /** Loopback, a free port, 16 MiB frames, no TLS. */
  public static EventBusSettings defaults() {
    return new EventBusSettings("127.0.0.1", 0, DEFAULT_FRAME_BYTES, null);
  }

  /**
   * The defaults overridden by {@code ringstore.bus.host}, {@code ringstore.bus.port},
   * {@code ringstore.bus.maxFrameBytes}, {@code ringstore.bus.eventLoops},
   * {@code ringstore.bus.transport} ({@code auto}, {@code nio} or {@code epoll}), and, for TLS, {@code ringstore.bus.tls.keyStore},
   * {@code ringstore.bus.tls.keyStorePassword}, {@code ringstore.bus.tls.trustStore} and
   * {@code ringstore.bus.tls.trustStorePassword} (PKCS#12 files; a key store without a trust
   * store, or the reverse, is an error).
   */
  public static EventBusSettings from(Properties properties) {
    EventBusSettings d = defaults();
    String keyStore = properties.getProperty("ringstore.bus.tls.keyStore");
    String trustStore = properties.getProperty("ringstore.bus.tls.trustStore");
    EventBusTls tls = null;
    if (keyStore != null || trustStore != null) {
      if (keyStore == null || trustStore == null) {
        throw new IllegalArgumentException("ringstore.bus.tls.keyStore = " + keyStore + " and ringstore.bus.tls.trustStore = "
            + trustStore + ": a TLS event bus needs both (its own key, and the cluster's trust)");
      }
      tls = EventBusTls.pkcs12(Path.of(keyStore), properties.getProperty("ringstore.bus.tls.keyStorePassword", ""),
          Path.of(trustStore), properties.getProperty("ringstore.bus.tls.trustStorePassword", ""));
    }
    return new EventBusSettings(
        properties.getProperty("ringstore.bus.host", d.host()),
        ClusterManagerSettings.intProperty(properties, "ringstore.bus.port", d.port()),
        ClusterManagerSettings.intProperty(properties, "ringstore.bus.maxFrameBytes", d.maxFrameBytes()),
        tls,
        ClusterManagerSettings.intProperty(properties, "ringstore.bus.eventLoops", d.eventLoops()),
        Net.of(properties.getProperty("ringstore.bus.transport", d.transport().settingValue())));
  }

  /** These settings with {@code port}. */
  public EventBusSettings withPort(int port) {
    return new EventBusSettings(host, port, maxFrameBytes, tls, eventLoops, transport);
  }

  /** These settings with {@code maxFrameBytes}. */
  public EventBusSettings withMaxFrameBytes(int maxFrameBytes) {
    return new EventBusSettings(host, port, maxFrameBytes, tls, eventLoops, transport);
  }

  /** These settings with {@code transport}. */
  public EventBusSettings withTransport(Net transport) {
    return new EventBusSettings(host, port, maxFrameBytes, tls, eventLoops, transport);
  }

  /** These settings with {@code tls} (null for plain TCP). */
  public EventBusSettings withTls(@Nullable EventBusTls tls) {
    return new EventBusSettings(host, port, maxFrameBytes, tls, eventLoops, transport);
  }
}
