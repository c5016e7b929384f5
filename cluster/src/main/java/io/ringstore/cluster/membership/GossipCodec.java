package io.ringstore.cluster.membership;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.LimitExceededException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary codec of gossip frames, version {@value #VERSION}. The layout is documented byte by
 * byte in {@code docs/formats/gossip.md} (checked by {@code GossipFormatDocTest}); in short:
 *
 * <pre>
 *   frame  = magic "RG" | version u8 | type u8 | cluster str | from str | fromAddress str | body
 *   Syn    = count var | digest*          Ack2 = count var | delta*
 *   Ack    = count var | delta* | count var | digest*
 *   digest = node str | generation var | maxVersion var
 *   delta  = node str | generation var | count var | entry*
 *   entry  = key u8 | version var | length var | value[length]
 *   str    = length var | UTF-8 bytes;  var = unsigned LEB128, canonical, at most 63 bits
 * </pre>
 *
 * <p>Every frame, encoded or decoded, is at most {@code maxFrameBytes}: the encoder refuses a
 * larger one with {@link LimitExceededException} before producing bytes, the decoder refuses one
 * before reading it. Decoding is strict: each encoding has exactly one frame and each frame one
 * encoding (canonical varints, no trailing bytes), and any other input is refused with
 * {@link MalformedGossipException} naming the offset and the problem, never with another
 * exception. An unknown version is refused by number.
 *
 * <p>Thread-safety: immutable; one instance may be shared.
 */
public final class GossipCodec {

  /** The format version this build writes and the only one it reads. */
  public static final int VERSION = 1;
  /** The first two bytes of every frame: "RG". */
  public static final int MAGIC = 0x5247;

  private final int maxFrameBytes;

  /** A codec bounding frames to {@code maxFrameBytes}. */
  public GossipCodec(int maxFrameBytes) {
    GossipSettings.checkMaxFrameBytes(maxFrameBytes);
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The frame bound, in bytes. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  // ---------------------------------------------------------------- sizes

  /** The encoded size of {@code frame}. */
  public static int sizeOf(GossipFrame frame) {
    return headerSize(frame.cluster(), frame.from(), frame.fromAddress()) + bodySize(frame.message());
  }

  /** The bytes of a frame before its body: magic, version, type and the three strings. */
  public static int headerSize(String cluster, NodeId from, String fromAddress) {
    return 4 + sizeOfString(cluster) + sizeOfString(from.value()) + sizeOfString(fromAddress);
  }

  /** The encoded size of one digest. */
  public static int sizeOf(Digest digest) {
    return sizeOfString(digest.node().value()) + sizeOfVar(digest.generation()) + sizeOfVar(digest.maxVersion());
  }

  /** The encoded size of one delta with its entries. */
  public static int sizeOf(NodeDelta delta) {
    int size = sizeOfDeltaHead(delta.node(), delta.generation()) + sizeOfVar(delta.entries().size());
    for (StateEntry entry : delta.entries()) {
      size += sizeOf(entry);
    }
    return size;
  }

  /** The encoded size of a delta's node and generation (its count and entries not included). */
  public static int sizeOfDeltaHead(NodeId node, long generation) {
    return sizeOfString(node.value()) + sizeOfVar(generation);
  }

  /** The encoded size of one entry. */
  public static int sizeOf(StateEntry entry) {
    return 1 + sizeOfVar(entry.version()) + sizeOfVar(entry.value().length()) + entry.value().length();
  }

  /** The encoded size of {@code value} as a varint. */
  public static int sizeOfVar(long value) {
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  private static int bodySize(GossipMessage message) {
    if (message instanceof GossipMessage.Syn syn) {
      return digestsSize(syn.digests());
    } else if (message instanceof GossipMessage.Ack ack) {
      return deltasSize(ack.deltas()) + digestsSize(ack.requests());
    } else {
      return deltasSize(((GossipMessage.Ack2) message).deltas());
    }
  }

  private static int digestsSize(List<Digest> digests) {
    int size = sizeOfVar(digests.size());
    for (Digest digest : digests) {
      size += sizeOf(digest);
    }
    return size;
  }

  private static int deltasSize(List<NodeDelta> deltas) {
    int size = sizeOfVar(deltas.size());
    for (NodeDelta delta : deltas) {
      size += sizeOf(delta);
    }
    return size;
  }

  private static int sizeOfString(String text) {
    int length = text.getBytes(StandardCharsets.UTF_8).length;
    return sizeOfVar(length) + length;
  }

  // ---------------------------------------------------------------- encode

  /**
   * The bytes of {@code frame}.
   *
   * @throws LimitExceededException if they would be more than {@code maxFrameBytes}
   */
  public byte[] encode(GossipFrame frame) {
    int size = sizeOf(frame);
    if (size > maxFrameBytes) {
      String type = frame.message().getClass().getSimpleName();
      throw new LimitExceededException("gossip " + type + " frame would be " + size
          + " bytes; limit gossip.maxFrameBytes = " + maxFrameBytes, "gossip.maxFrameBytes", size, maxFrameBytes);
    }
    Writer out = new Writer(size);
    out.u8(MAGIC >>> 8);
    out.u8(MAGIC & 0xff);
    out.u8(VERSION);
    out.u8(frame.message().typeCode());
    out.string(frame.cluster());
    out.string(frame.from().value());
    out.string(frame.fromAddress());
    GossipMessage message = frame.message();
    if (message instanceof GossipMessage.Syn syn) {
      out.digests(syn.digests());
    } else if (message instanceof GossipMessage.Ack ack) {
      out.deltas(ack.deltas());
      out.digests(ack.requests());
    } else {
      out.deltas(((GossipMessage.Ack2) message).deltas());
    }
    if (out.at != size) {
      throw new IllegalStateException("gossip frame size computed as " + size + " but " + out.at + " bytes written");
    }
    return out.bytes;
  }

  private static final class Writer {
    final byte[] bytes;
    int at;

    Writer(int size) {
      bytes = new byte[size];
    }

    void u8(int value) {
      bytes[at++] = (byte) value;
    }

    void var(long value) {
      while ((value & ~0x7fL) != 0) {
        bytes[at++] = (byte) ((value & 0x7f) | 0x80);
        value >>>= 7;
      }
      bytes[at++] = (byte) value;
    }

    void raw(byte[] data) {
      System.arraycopy(data, 0, bytes, at, data.length);
      at += data.length;
    }

    void string(String text) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      var(utf8.length);
      raw(utf8);
    }

    void digests(List<Digest> digests) {
      var(digests.size());
      for (Digest digest : digests) {
        string(digest.node().value());
        var(digest.generation());
        var(digest.maxVersion());
      }
    }

    void deltas(List<NodeDelta> deltas) {
      var(deltas.size());
      for (NodeDelta delta : deltas) {
        string(delta.node().value());
        var(delta.generation());
        var(delta.entries().size());
        for (StateEntry entry : delta.entries()) {
          u8(entry.key().code());
          var(entry.version());
          var(entry.value().length());
          raw(entry.value().toByteArray());
        }
      }
    }
  }

  // ---------------------------------------------------------------- decode

  /**
   * The frame in {@code frame}, which must be exactly one frame.
   *
   * @throws MalformedGossipException if it is not one, naming the offset and the problem
   */
  public GossipFrame decode(byte[] frame) {
    if (frame.length > maxFrameBytes) {
      throw new MalformedGossipException("frame of " + frame.length + " bytes is over the bound gossip.maxFrameBytes = "
          + maxFrameBytes, 0);
    }
    Reader in = new Reader(frame);
    int magic = in.u8("magic") << 8 | in.u8("magic");
    if (magic != MAGIC) {
      throw new MalformedGossipException(String.format("bad magic 0x%04x (a gossip frame starts with 0x%04x \"RG\")", magic, MAGIC), 0);
    }
    int version = in.u8("version");
    if (version != VERSION) {
      throw new MalformedGossipException("unknown gossip format version " + version + " (this build reads version " + VERSION + ")", 2);
    }
    int type = in.u8("type");
    if (type < 1 || type > 3) {
      throw new MalformedGossipException("unknown gossip message type " + type + " (format version " + VERSION
          + " has 1 Syn, 2 Ack, 3 Ack2)", 3);
    }
    String cluster = in.string("cluster name", GossipFrame.MAX_CLUSTER_BYTES, false);
    NodeId from = in.nodeId();
    String fromAddress = in.string("sender address", StateKey.MAX_ADDRESS_BYTES, false);
    int bodyAt = in.at;
    GossipMessage message = in.check(bodyAt, () -> switch (type) {
      case 1 -> new GossipMessage.Syn(in.digests());
      case 2 -> {
        List<NodeDelta> deltas = in.deltas();
        yield new GossipMessage.Ack(deltas, in.digests());
      }
      default -> new GossipMessage.Ack2(in.deltas());
    });
    if (in.at != frame.length) {
      throw new MalformedGossipException((frame.length - in.at) + " bytes after the end of the message", in.at);
    }
    return in.check(4, () -> new GossipFrame(cluster, from, fromAddress, message));
  }

  private static final class Reader {
    final byte[] bytes;
    int at;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    interface Part<T> {
      T read();
    }

    /** Runs {@code part}, turning a broken invariant of a value type into a refusal at {@code start}. */
    <T> T check(int start, Part<T> part) {
      try {
        return part.read();
      } catch (IllegalArgumentException e) {
        throw new MalformedGossipException(e.getMessage(), start);
      }
    }

    int u8(String what) {
      if (at >= bytes.length) {
        throw new MalformedGossipException("frame ends inside " + what + " (frame is " + bytes.length + " bytes)", at);
      }
      return bytes[at++] & 0xff;
    }

    long var(String what) {
      int start = at;
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        int b = u8(what);
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (b == 0 && shift > 0) {
            throw new MalformedGossipException(what + " is a varint with a redundant trailing zero byte", start);
          }
          return value;
        }
        if (shift == 56) {
          throw new MalformedGossipException(what + " is a varint over 63 bits", start);
        }
      }
    }

    int length(String what, int max) {
      int start = at;
      long length = var(what + " length");
      if (length > max) {
        throw new MalformedGossipException(what + " length " + length + " is over its bound " + max, start);
      }
      if (length > bytes.length - at) {
        throw new MalformedGossipException(what + " of " + length + " bytes runs past the end of the frame ("
            + (bytes.length - at) + " bytes left)", start);
      }
      return (int) length;
    }

    int count(String what, int minItemBytes) {
      int start = at;
      long count = var(what + " count");
      if (count > (long) (bytes.length - at) / minItemBytes) {
        throw new MalformedGossipException(what + " count " + count + " cannot fit in the " + (bytes.length - at)
            + " bytes left", start);
      }
      return (int) count;
    }

    String string(String what, int maxBytes, boolean allowEmpty) {
      int start = at;
      int length = length(what, maxBytes);
      if (length == 0 && !allowEmpty) {
        throw new MalformedGossipException(what + " is empty", start);
      }
      try {
        String text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, at, length))
            .toString();
        at += length;
        return text;
      } catch (CharacterCodingException e) {
        throw new MalformedGossipException(what + " is not UTF-8", start);
      }
    }

    NodeId nodeId() {
      int start = at;
      String id = string("node id", NodeId.MAX_UTF8_BYTES, false);
      return check(start, () -> new NodeId(id));
    }

    List<Digest> digests() {
      int n = count("digest", 3);
      List<Digest> digests = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int start = at;
        NodeId node = nodeId();
        long generation = var("generation");
        long maxVersion = var("max version");
        digests.add(check(start, () -> new Digest(node, generation, maxVersion)));
      }
      return digests;
    }

    List<NodeDelta> deltas() {
      int n = count("delta", 4);
      List<NodeDelta> deltas = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int start = at;
        NodeId node = nodeId();
        long generation = var("generation");
        int entryCount = count("entry", 3);
        List<StateEntry> entries = new ArrayList<>(entryCount);
        for (int j = 0; j < entryCount; j++) {
          int entryAt = at;
          StateKey key = new StateKey(u8("state key"));
          long version = var(key + " version");
          int length = length(key + " value", StateKey.MAX_VALUE_BYTES);
          Bytes value = Bytes.of(Arrays.copyOfRange(bytes, at, at + length));
          at += length;
          entries.add(check(entryAt, () -> new StateEntry(key, version, value)));
        }
        deltas.add(check(start, () -> new NodeDelta(node, generation, entries)));
      }
      return deltas;
    }
  }
}
