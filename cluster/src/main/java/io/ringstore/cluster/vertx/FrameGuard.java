package io.ringstore.cluster.vertx;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the frames of one inbound event-bus connection. Vert.x's clustered event bus frames each
 * message as a 4-byte big-endian length and that many bytes, and reads each frame whole into one
 * buffer, whatever length the peer declares ({@code InboundConnection} feeds a
 * {@code RecordParser} in fixed-size mode with the declared length, without a bound). This
 * handler sits in front of Vert.x's handler in the connection's Netty pipeline, reads only the
 * length prefixes (passing every buffer on untouched, without copying), and when a prefix
 * declares less than 1 byte or more than {@code maxFrameBytes}, drops that buffer, logs a WARNING
 * naming the peer, the declared length and the bound, counts it, and closes the connection:
 * nothing of that frame reaches Vert.x, so nothing of it is buffered.
 *
 * <p>With TLS, the bytes that reach the head of the pipeline are ciphertext: on the first read,
 * if a TLS handler follows this one, the guard moves itself right behind the {@link SslHandler}
 * (or, while an SNI handler has not installed its {@code SslHandler} yet, passes the handshake
 * bytes through and looks again at the next read), and from then on reads plaintext frames.
 *
 * <p>Thread-safety: event-loop confined (one instance per connection).
 */
final class FrameGuard extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(FrameGuard.class.getName());

  /** The handler's name in the pipeline. */
  static final String NAME = "ringstore-frame-guard";

  // constant after construction
  private final int maxFrameBytes;
  private final LongAdder refused;

  // event loop only
  private boolean placed; // true once no TLS handler follows this one
  private int headerBytes; // of the current length prefix, 0 to 3
  private int header;
  private long bodyRemainingBytes;
  private boolean closed;

  FrameGuard(int maxFrameBytes, LongAdder refused) {
    this.maxFrameBytes = maxFrameBytes;
    this.refused = refused;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!placed) {
      ChannelHandler tls = tlsAfter(ctx);
      if (tls instanceof SslHandler) {
        ChannelPipeline pipeline = ctx.pipeline();
        String tlsName = pipeline.context(tls).name();
        pipeline.remove(this);
        FrameGuard behindTls = new FrameGuard(maxFrameBytes, refused);
        behindTls.placed = true;
        pipeline.addAfter(tlsName, NAME, behindTls);
        ctx.fireChannelRead(msg); // ciphertext, to the TLS handler, which hands the plaintext to behindTls
        return;
      }
      if (tls != null) {
        ctx.fireChannelRead(msg); // a ClientHello for an SNI handler, which installs the SslHandler
        return;
      }
      placed = true;
    }
    int at = buf.readerIndex();
    int end = buf.writerIndex();
    while (at < end) {
      if (bodyRemainingBytes > 0) {
        int skip = (int) Math.min(bodyRemainingBytes, end - at);
        at += skip;
        bodyRemainingBytes -= skip;
        continue;
      }
      header = header << 8 | (buf.getByte(at++) & 0xff);
      if (++headerBytes == 4) {
        int declared = header;
        header = 0;
        headerBytes = 0;
        if (declared < 1 || declared > maxFrameBytes) {
          refuse(ctx, buf, declared);
          return;
        }
        bodyRemainingBytes = declared;
      }
    }
    ctx.fireChannelRead(buf);
  }

  private void refuse(ChannelHandlerContext ctx, ByteBuf buf, int declared) {
    buf.release();
    closed = true;
    refused.increment();
    String bound = declared < 1
        ? "need 1 to " + maxFrameBytes + " (ringstore.bus.maxFrameBytes)"
        : "limit ringstore.bus.maxFrameBytes = " + maxFrameBytes;
    LOG.log(Level.WARNING, "event-bus connection from " + ctx.channel().remoteAddress() + ": a frame declares " + declared
        + " bytes; " + bound + "; closing the connection without reading the frame");
    ctx.close();
  }

  /** The first TLS handler after this one in the pipeline, or null. */
  private @Nullable ChannelHandler tlsAfter(ChannelHandlerContext ctx) {
    boolean after = false;
    for (Map.Entry<String, ChannelHandler> entry : ctx.pipeline()) {
      ChannelHandler handler = entry.getValue();
      if (handler == this) {
        after = true;
      } else if (after && (handler instanceof SslHandler || handler instanceof SslClientHelloHandler<?>)) {
        return handler;
      }
    }
    return null;
  }
}
