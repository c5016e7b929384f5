package io.ringstore.cluster.vertx;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.TcpConfig;
import io.vertx.core.transport.Transport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Vert.x {@link Transport} (given to {@code Vertx.builder().withTransport(...)}) that is another
 * transport (NIO, epoll, ...) plus a {@link FrameGuard} on every connection accepted by the
 * clustered event bus's server. Vert.x offers no setting and no hook to bound the frames its
 * event bus reads; the transport is the public SPI through which Vert.x creates the Netty server
 * channels, so each server channel made here gets a small handler that sees every accepted
 * connection before Vert.x configures it, and puts a {@code FrameGuard} at the head of the
 * connection's pipeline when the server listens on the event bus's port. Every other server of the
 * same Vert.x instance (HTTP, Ringstore's cluster channel) is left alone.
 *
 * <p>The event bus is recognised by its port, so it must be known before Vert.x starts (a fixed
 * port; {@link HardenedEventBus} picks a free one when the settings say 0), and no other server of
 * the instance may listen on the same port on another interface. One instance serves one Vert.x
 * instance. Vert.x reports {@code isNativeTransportEnabled()} true for any transport that is not
 * its own NIO class, this wrapper included; nothing else changes.
 *
 * <p>Thread-safety: thread-safe (immutable, plus a counter).
 */
public final class FrameBoundTransport implements Transport {

  // constant after construction
  private final Transport base;
  private final Guarded implementation;
  private final int busPort;
  private final int maxFrameBytes;
  private final LongAdder refused = new LongAdder();

  /**
   * {@code base} with frames of the event bus listening on {@code busPort} bounded to
   * {@code maxFrameBytes}.
   *
   * @throws IllegalArgumentException if {@code base} is not available (Vert.x would fall back to
   *     plain NIO, without the guard), or a setting is out of range
   */
  public FrameBoundTransport(Transport base, int busPort, int maxFrameBytes) {
    if (!base.available()) {
      throw new IllegalArgumentException("transport " + base.name() + " is not available here ("
          + base.unavailabilityCause() + "); Vert.x would fall back to NIO without the event-bus frame guard");
    }
    if (busPort < 1 || busPort > 65535) {
      throw new IllegalArgumentException("ringstore.bus.port = " + busPort + " is out of range; the frame guard needs a fixed port, 1 to 65535");
    }
    if (maxFrameBytes < EventBusSettings.MIN_FRAME_BYTES || maxFrameBytes > EventBusSettings.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("ringstore.bus.maxFrameBytes = " + maxFrameBytes + " is out of range; need "
          + EventBusSettings.MIN_FRAME_BYTES + " to " + EventBusSettings.MAX_FRAME_BYTES);
    }
    this.base = base;
    this.busPort = busPort;
    this.maxFrameBytes = maxFrameBytes;
    this.implementation = new Guarded(base.implementation());
  }

  /** The guarded port. */
  public int busPort() {
    return busPort;
  }

  /** The frame bound. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** How many connections were closed for a frame out of bounds, since this transport was made. */
  public long refusedFrames() {
    return refused.sum();
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return implementation;
  }

  /** Sees each connection a server channel accepts, before Vert.x's acceptor configures it. */
  private final class Accepted extends ChannelInboundHandlerAdapter {
    private Boolean bus; // event loop only: whether this server channel is the event bus's, once known

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel child && isBus(ctx.channel())) {
        child.pipeline().addFirst(FrameGuard.NAME, new FrameGuard(maxFrameBytes, refused));
      }
      ctx.fireChannelRead(msg);
    }

    private boolean isBus(Channel server) {
      if (bus == null) {
        SocketAddress local = server.localAddress();
        bus = local instanceof InetSocketAddress inet && inet.getPort() == busPort;
      }
      return bus;
    }
  }

  /** The SPI side: the base implementation, with {@link Accepted} on every server channel. */
  private final class Guarded implements io.vertx.core.spi.transport.Transport {
    private final io.vertx.core.spi.transport.Transport base;

    Guarded(io.vertx.core.spi.transport.Transport base) {
      this.base = base;
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      ChannelFactory<? extends ServerChannel> factory = base.serverChannelFactory(domainSocket);
      return () -> {
        ServerChannel channel = factory.newChannel();
        channel.pipeline().addFirst("ringstore-accepted", new Accepted());
        return channel;
      };
    }

    // ------------------------------------------------------------ the rest is the base's

    @Override
    public boolean supportsDomainSockets() {
      return base.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return base.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return base.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return base.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return base.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
      return base.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    @SuppressWarnings("deprecation")
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return base.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
      return base.datagramChannelFactory();
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return base.channelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      base.configure(channel, options);
    }

    @Override
    public void configure(TcpConfig config, boolean domainSocket, Bootstrap bootstrap) {
      base.configure(config, domainSocket, bootstrap);
    }

    @Override
    public void configure(TcpConfig config, boolean domainSocket, ServerBootstrap bootstrap) {
      base.configure(config, domainSocket, bootstrap);
    }
  }
}
