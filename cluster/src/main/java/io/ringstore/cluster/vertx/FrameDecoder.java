package io.ringstore.cluster.vertx;

import io.ringstore.spi.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the byte stream of one cluster-channel connection into {@link ChannelFrame}s: plain code
 * over byte arrays (no Vert.x), so it can be fuzzed ({@code FrameDecoderFuzzTest}). Layout and
 * limits: {@code docs/formats/cluster-channel.md}, "Frame".
 *
 * <p>A frame's length is checked as soon as its four length bytes arrive, so a peer cannot make the
 * decoder buffer more than {@code maxFrameBytes + 4} bytes of one frame. The first bad frame
 * throws {@link MalformedFrameException} naming the field, its value and the bound; the decoder is
 * then spent (every later call throws again), as the connection is to be closed.
 *
 * <p>Thread-safety: not thread-safe; one decoder per connection, used on its event loop.
 */
final class FrameDecoder {
  private final int maxFrameBytes;

  // confined to the connection's event loop
  private byte[] buffer = new byte[256];
  private int start; // first unread byte of buffer
  private int end; // one past the last buffered byte
  private long consumed; // stream offset of buffer[start]
  private @Nullable MalformedFrameException failure;

  /** A decoder refusing frames longer than {@code maxFrameBytes} (the {@code length} field's value). */
  FrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < ChannelFrame.HEADER_BYTES) {
      throw new IllegalArgumentException("maxFrameBytes = " + maxFrameBytes + "; need >= " + ChannelFrame.HEADER_BYTES);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Appends {@code bytes} to the stream and returns every frame now complete, in order; bytes of
   * an incomplete frame stay buffered for the next call.
   *
   * @throws MalformedFrameException if the stream holds a frame this build cannot accept
   */
  List<ChannelFrame> feed(byte[] bytes) {
    if (failure != null) {
      throw failure;
    }
    append(bytes);
    List<ChannelFrame> frames = new ArrayList<>();
    while (end - start >= 4) {
      long length = Integer.toUnsignedLong(ByteBuffer.wrap(buffer, start, 4).getInt());
      if (length < ChannelFrame.HEADER_BYTES || length > maxFrameBytes) {
        throw fail("frame length = " + length + " bytes; need " + ChannelFrame.HEADER_BYTES
            + " to ringstore.cluster.maxFrameBytes = " + maxFrameBytes);
      }
      if (end - start < 4 + length) {
        break;
      }
      frames.add(frame(start + 4, (int) length));
      start += 4 + (int) length;
      consumed += 4 + length;
    }
    if (start == end) {
      start = 0;
      end = 0;
    }
    return frames;
  }

  /** Bytes buffered of a frame not yet complete. */
  int buffered() {
    return end - start;
  }

  private ChannelFrame frame(int at, int length) {
    int version = buffer[at] & 0xff;
    if (version != ChannelFrame.VERSION) {
      throw fail("version = " + version + "; this build reads version " + ChannelFrame.VERSION + " only");
    }
    int code = buffer[at + 1] & 0xff;
    ChannelFrame.Type type = ChannelFrame.Type.ofCode(code);
    if (type == null) {
      throw fail("type = " + code + "; this build knows types 1 to " + ChannelFrame.Type.MAX_CODE + " (version "
          + ChannelFrame.VERSION + ")");
    }
    long requestId = ByteBuffer.wrap(buffer, at + 2, 8).getLong();
    byte[] payload = Arrays.copyOfRange(buffer, at + ChannelFrame.HEADER_BYTES, at + length);
    if (type == ChannelFrame.Type.HELLO) {
      if (payload.length == 0 || payload.length > ChannelFrame.MAX_HELLO_BYTES) {
        throw fail("HELLO node id of " + payload.length + " bytes; need 1 to " + ChannelFrame.MAX_HELLO_BYTES);
      }
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload));
      } catch (CharacterCodingException e) {
        throw fail("HELLO node id is not UTF-8");
      }
    }
    return new ChannelFrame(type, requestId, Bytes.of(payload));
  }

  private void append(byte[] bytes) {
    if (buffer.length - end < bytes.length) {
      int live = end - start;
      int needed = live + bytes.length;
      byte[] target = needed <= buffer.length ? buffer : new byte[Math.max(needed, Math.min(2 * buffer.length, maxFrameBytes + 4))];
      System.arraycopy(buffer, start, target, 0, live);
      buffer = target;
      start = 0;
      end = live;
    }
    System.arraycopy(bytes, 0, buffer, end, bytes.length);
    end += bytes.length;
  }

  private MalformedFrameException fail(String problem) {
    failure = new MalformedFrameException(problem, consumed);
    buffer = new byte[0];
    start = 0;
    end = 0;
    return failure;
  }
}
