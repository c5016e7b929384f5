package io.ringstore.cluster.vertx;

import io.ringstore.spi.Bytes;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * One frame of the cluster channel ({@code docs/formats/cluster-channel.md}, "Frame"), big-endian:
 * {@code length u32} (of what follows) | {@code version u8} ({@value #VERSION}) | {@code type u8} |
 * {@code requestId u64} | payload. {@link FrameDecoder} reads frames, {@link #encode} writes one.
 *
 * <p>Invariants: a {@link Type#HELLO} payload is 1 to {@value #MAX_HELLO_BYTES} bytes of UTF-8 (the
 * sender's Vert.x node id).
 * <p>Thread-safety: immutable.
 *
 * @param requestId pairs a reply with its request; 0 for {@link Type#HELLO} and {@link Type#GOSSIP}
 */
record ChannelFrame(Type type, long requestId, Bytes payload) {

  /** The only version this build reads and writes. */
  static final int VERSION = 1;
  /** Bytes after the length field and before the payload: version, type, request id. */
  static final int HEADER_BYTES = 1 + 1 + 8;
  /** The longest {@link Type#HELLO} payload (a node id), in bytes. */
  static final int MAX_HELLO_BYTES = 255;

  /** What a frame is, by its {@code type} byte. */
  enum Type {
    /** A request; the receiving channel's handler answers it with one of the three replies. */
    REQUEST(1),
    /** The answer to request {@code requestId}. */
    REPLY_OK(2),
    /** Request {@code requestId} failed; payload: UTF-8 message. */
    REPLY_ERROR(3),
    /** Request {@code requestId} was refused: the receiver does not count the sender as a member. */
    REPLY_NOT_MEMBER(4),
    /** The first frame on every connection, from the connecting side: its Vert.x node id. */
    HELLO(5),
    /** One-way: a gossip frame ({@code docs/formats/gossip.md}), never answered. */
    GOSSIP(6);

    /** The highest type code this build knows. */
    static final int MAX_CODE = 6;

    private final int code;

    Type(int code) {
      this.code = code;
    }

    /** The {@code type} byte. */
    int code() {
      return code;
    }

    /** The type of {@code code}, or null if this build knows none. */
    static @Nullable Type ofCode(int code) {
      return code >= 1 && code <= MAX_CODE ? values()[code - 1] : null;
    }
  }

  /** The whole frame, length field included; refused if longer than {@code maxFrameBytes}. */
  byte[] encode(int maxFrameBytes) {
    int length = HEADER_BYTES + payload.length();
    if (length > maxFrameBytes) {
      throw new IllegalArgumentException("cluster channel frame of " + length
          + " bytes exceeds ringstore.cluster.maxFrameBytes = " + maxFrameBytes);
    }
    return ByteBuffer.allocate(4 + length).putInt(length).put((byte) VERSION).put((byte) type.code())
        .putLong(requestId).put(payload.unsafeArray(), 0, payload.length()).array();
  }
}
