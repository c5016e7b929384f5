package io.ringstore.provider.cluster;

import io.ringstore.spi.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.cache.event.EventType;

/**
 * The binary format of {@link EventFrame}s ({@code docs/formats/events.md}): magic {@code "RE"},
 * version 1, the origin, the event count, then each event's type, flags, key and values, every
 * length an unsigned LEB128 varint in its shortest form.
 *
 * <p>{@link #encode} makes one exactly-sized array. {@link #decode} checks every length against
 * the bytes that remain before it allocates, refuses a frame longer than the bound, unknown
 * versions, types and flags, combinations of values a type does not allow, non-shortest varints and
 * trailing bytes, each with an {@link IllegalArgumentException} that says what and where.
 *
 * <p>Thread-safety: stateless.
 */
public final class EventFrameCodec {

  /** The first two bytes of every frame: {@code "RE"}. */
  static final int MAGIC_0 = 'R';
  static final int MAGIC_1 = 'E';
  /** The format version this code writes and reads. */
  static final int VERSION = 1;
  /** The fixed bytes before the origin. */
  static final int HEADER_BYTES = 3;
  static final int FLAG_OLD_VALUE = 1;
  static final int FLAG_NEW_VALUE = 2;
  private static final int MAX_ORIGIN_BYTES = 255;

  private EventFrameCodec() {}

  /** The bytes of the frame header (magic, version, origin) for {@code origin}. */
  static int headerLength(String origin) {
    int length = origin.getBytes(StandardCharsets.UTF_8).length;
    return HEADER_BYTES + varintLength(length) + length;
  }

  /** The frame bytes {@code frame} takes. */
  public static int encodedLength(EventFrame frame) {
    int length = headerLength(frame.origin()) + varintLength(frame.events().size());
    for (EventFrame.Event event : frame.events()) {
      length += event.encodedLength();
    }
    return length;
  }

  /** The frame's bytes: one exactly-sized array. */
  public static byte[] encode(EventFrame frame) {
    byte[] origin = frame.origin().getBytes(StandardCharsets.UTF_8);
    if (origin.length > MAX_ORIGIN_BYTES) {
      throw new IllegalArgumentException("an event frame's origin node id takes " + origin.length
          + " bytes; the limit is " + MAX_ORIGIN_BYTES);
    }
    byte[] out = new byte[encodedLength(frame)];
    int at = 0;
    out[at++] = (byte) MAGIC_0;
    out[at++] = (byte) MAGIC_1;
    out[at++] = (byte) VERSION;
    at = writeVarint(out, at, origin.length);
    System.arraycopy(origin, 0, out, at, origin.length);
    at += origin.length;
    at = writeVarint(out, at, frame.events().size());
    for (EventFrame.Event event : frame.events()) {
      out[at++] = (byte) typeCode(event.type());
      out[at++] = (byte) ((event.oldValue() == null ? 0 : FLAG_OLD_VALUE) | (event.newValue() == null ? 0 : FLAG_NEW_VALUE));
      at = writeSized(out, at, event.key());
      if (event.oldValue() != null) {
        at = writeSized(out, at, event.oldValue());
      }
      if (event.newValue() != null) {
        at = writeSized(out, at, event.newValue());
      }
    }
    if (at != out.length) {
      throw new IllegalStateException("event frame length mismatch: wrote " + at + " of " + out.length + " bytes");
    }
    return out;
  }

  /**
   * The frame in {@code bytes}.
   *
   * @param maxFrameBytes the longest frame accepted
   * @throws IllegalArgumentException if the frame is longer than {@code maxFrameBytes} or
   *     malformed (the message names the fault and its offset)
   */
  public static EventFrame decode(byte[] bytes, int maxFrameBytes) {
    if (bytes.length > maxFrameBytes) {
      throw new IllegalArgumentException("an event frame of " + bytes.length + " bytes is past the bound maxFrameBytes = "
          + maxFrameBytes);
    }
    Reader in = new Reader(bytes);
    if (bytes.length < HEADER_BYTES || (bytes[0] & 0xff) != MAGIC_0 || (bytes[1] & 0xff) != MAGIC_1) {
      throw new IllegalArgumentException("not an event frame: it does not start with the magic \"RE\"");
    }
    if ((bytes[2] & 0xff) != VERSION) {
      throw new IllegalArgumentException("event frame version " + (bytes[2] & 0xff) + " is not supported; this node reads version "
          + VERSION);
    }
    in.at = HEADER_BYTES;
    int originLength = in.length("origin");
    if (originLength == 0 || originLength > MAX_ORIGIN_BYTES) {
      throw new IllegalArgumentException("event frame: the origin takes " + originLength + " bytes at offset " + in.at
          + "; need 1 to " + MAX_ORIGIN_BYTES);
    }
    String origin;
    try {
      origin = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, in.at, originLength)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("event frame: the origin at offset " + in.at + " is not well-formed UTF-8", e);
    }
    in.at += originLength;
    int count = in.varint("event count");
    // each event takes at least 3 bytes (type, flags, an empty key's length): bound before allocating
    if (count < 1 || count > (bytes.length - in.at) / 3) {
      throw new IllegalArgumentException("event frame: an event count of " + count + " at offset " + in.at
          + " does not fit the " + (bytes.length - in.at) + " bytes that remain (need 1 to remaining / 3)");
    }
    List<EventFrame.Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int typeAt = in.at;
      EventType type = typeOf(in.u8("type"), typeAt);
      int flagsAt = in.at;
      int flags = in.u8("flags");
      if ((flags & ~(FLAG_OLD_VALUE | FLAG_NEW_VALUE)) != 0) {
        throw new IllegalArgumentException("event frame: unknown flags 0x" + Integer.toHexString(flags) + " at offset " + flagsAt);
      }
      Bytes key = in.sized("key");
      Bytes oldValue = (flags & FLAG_OLD_VALUE) != 0 ? in.sized("old value") : null;
      Bytes newValue = (flags & FLAG_NEW_VALUE) != 0 ? in.sized("new value") : null;
      try {
        events.add(new EventFrame.Event(type, key, oldValue, newValue));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("event frame: event " + i + " at offset " + typeAt + ": " + e.getMessage(), e);
      }
    }
    if (in.at != bytes.length) {
      throw new IllegalArgumentException("event frame: " + (bytes.length - in.at) + " trailing bytes at offset " + in.at);
    }
    return new EventFrame(origin, events);
  }

  static int typeCode(EventType type) {
    return switch (type) {
      case CREATED -> 1;
      case UPDATED -> 2;
      case REMOVED -> 3;
      case EXPIRED -> 4;
    };
  }

  private static EventType typeOf(int code, int offset) {
    return switch (code) {
      case 1 -> EventType.CREATED;
      case 2 -> EventType.UPDATED;
      case 3 -> EventType.REMOVED;
      case 4 -> EventType.EXPIRED;
      default -> throw new IllegalArgumentException("event frame: unknown event type " + code + " at offset " + offset
          + "; known: 1 CREATED, 2 UPDATED, 3 REMOVED, 4 EXPIRED");
    };
  }

  /** The bytes a length-prefixed {@code bytes} takes. */
  static int sizedLength(Bytes bytes) {
    return varintLength(bytes.length()) + bytes.length();
  }

  static int varintLength(int value) {
    int length = 1;
    for (int v = value >>> 7; v != 0; v >>>= 7) {
      length++;
    }
    return length;
  }

  private static int writeVarint(byte[] out, int at, int value) {
    int v = value;
    while ((v & ~0x7f) != 0) {
      out[at++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
    return at;
  }

  private static int writeSized(byte[] out, int at, Bytes bytes) {
    int next = writeVarint(out, at, bytes.length());
    byte[] array = bytes.unsafeArray();
    System.arraycopy(array, 0, out, next, bytes.length());
    return next + bytes.length();
  }

  /** A cursor over a frame being decoded. */
  private static final class Reader {
    private final byte[] bytes;
    int at;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int u8(String what) {
      if (at >= bytes.length) {
        throw new IllegalArgumentException("event frame: truncated at offset " + at + ", reading the " + what);
      }
      return bytes[at++] & 0xff;
    }

    /** An unsigned LEB128 int in its shortest form. */
    int varint(String what) {
      int start = at;
      int value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = u8(what);
        if (shift == 28 && (b & 0xf0) != 0) {
          throw new IllegalArgumentException("event frame: the " + what + " at offset " + start + " is past 2^31 - 1");
        }
        value |= (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (b == 0 && shift > 0) {
            throw new IllegalArgumentException("event frame: the " + what + " at offset " + start
                + " is not in its shortest form");
          }
          return value;
        }
      }
      throw new IllegalArgumentException("event frame: the " + what + " at offset " + start + " is longer than 5 bytes");
    }

    int length(String what) {
      int lengthAt = at;
      int length = varint(what + " length");
      if (length < 0) {
        throw new IllegalArgumentException("event frame: the " + what + " at offset " + lengthAt + " declares " + (length & 0xffffffffL)
            + " bytes, past the largest array");
      }
      if (length > bytes.length - at) {
        throw new IllegalArgumentException("event frame: the " + what + " at offset " + lengthAt + " declares " + length
            + " bytes; only " + (bytes.length - at) + " remain");
      }
      return length;
    }

    Bytes sized(String what) {
      int length = length(what);
      byte[] copy = new byte[length];
      System.arraycopy(bytes, at, copy, 0, length);
      at += length;
      return Bytes.of(copy);
    }
  }
}
