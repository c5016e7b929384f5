package io.ringstore.cluster.vertx;

import io.ringstore.spi.Bytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One change of the cluster registry or of the shared data, sequenced by the coordinator and
 * applied by every member in the same order. Encoded with {@link #writeTo} and {@link #readFrom}
 * (layout in {@code docs/formats/cluster-channel.md}); {@link NodeInfo} and
 * {@link RegistrationInfo} in Vert.x's own {@code ClusterSerializable} layout (written and read
 * here, strictly), never Java serialisation.
 *
 * <p>Kinds 1 to 5 are the registry (stage 1); kinds 6 to 14 are {@link SharedChange}s of the
 * cluster-wide maps, locks and counters (stage 2), applied by {@link SharedState}. Map keys and
 * values travel as the bytes of {@link ClusterValueCodec}, opaque here.
 *
 * <p>Thread-safety: immutable (the Vert.x values inside are not mutated after construction).
 */
sealed interface Change {

  /** A Vert.x node joined, taking cluster-channel traffic at {@code channelAddress}. */
  record MemberAdded(String nodeId, String channelAddress) implements Change {}

  /** A Vert.x node left (or was judged down); its registrations and node info go with it. */
  record MemberRemoved(String nodeId) implements Change {}

  /** A handler registration was added at {@code address}. */
  record RegistrationAdded(String address, RegistrationInfo info) implements Change {}

  /** A handler registration was removed from {@code address}. */
  record RegistrationRemoved(String address, RegistrationInfo info) implements Change {}

  /** Node {@code nodeId} published its event-bus {@code info}. */
  record NodeInfoSet(String nodeId, NodeInfo info) implements Change {}

  /** A change of the cluster-wide maps, locks or counters; {@link SharedState} applies it. */
  sealed interface SharedChange extends Change {}

  /**
   * A shared-data operation started by the Vert.x node {@code origin}, which numbered it
   * {@code opId} (unique per origin) and takes its result when it applies it.
   */
  sealed interface Operation extends SharedChange {
    /** The Vert.x node id of the member that started the operation. */
    String origin();

    /** The origin's number of the operation. */
    long opId();
  }

  /** How a {@link MapWrite} treats the key's current entry. */
  enum WriteMode {
    /** Write in any case; the result is the previous value. */
    PUT,
    /** Write only if there is no entry; the result is the entry's value, if any. */
    PUT_IF_ABSENT,
    /** Write only if there is an entry; the result is the previous value, if any. */
    REPLACE
  }

  /** What a {@link MapRead} reads. */
  enum ReadKind {
    /** The value of one key. */
    GET,
    /** The number of entries. */
    SIZE,
    /** The keys. */
    KEYS,
    /** The values. */
    VALUES,
    /** The entries. */
    ENTRIES
  }

  /** What a {@link CounterUpdate} does. */
  enum CounterKind {
    /** Reads the value. */
    GET,
    /** Adds {@code a}; the result is the new value. */
    ADD_AND_GET,
    /** Adds {@code a}; the result is the previous value. */
    GET_AND_ADD,
    /** Sets {@code b} if the value is {@code a}; the result says whether it did. */
    COMPARE_AND_SET
  }

  /**
   * Writes {@code value} at {@code key} of map {@code map} as {@code mode} says, expiring after
   * {@code ttlMillis} (0: never).
   */
  record MapWrite(String origin, long opId, String map, WriteMode mode, Bytes key, Bytes value, long ttlMillis)
      implements Operation {}

  /** Replaces {@code expected} at {@code key} by {@code value} (expiring after {@code ttlMillis}, 0: never). */
  record MapReplaceIfPresent(String origin, long opId, String map, Bytes key, Bytes expected, Bytes value, long ttlMillis)
      implements Operation {}

  /** Removes {@code key}'s entry; only if its value is {@code expected} when that is given. */
  record MapRemove(String origin, long opId, String map, Bytes key, @Nullable Bytes expected) implements Operation {}

  /** Removes every entry of {@code map}. */
  record MapClear(String origin, long opId, String map) implements Operation {}

  /** Reads {@code map} at this point of the sequence; {@code key} is given for, and only for, {@link ReadKind#GET}. */
  record MapRead(String origin, long opId, String map, ReadKind what, @Nullable Bytes key) implements Operation {}

  /**
   * The coordinator's timer found the entry at {@code key} written by operation {@code opId} of
   * {@code writer} expired: removes it if it is still that write.
   */
  record MapExpire(String map, Bytes key, String writer, long opId) implements SharedChange {}

  /** Waiter {@code waiterId} of {@code origin} asks for lock {@code lock}: it holds it at once if free, else queues. */
  record LockAcquire(String origin, long waiterId, String lock) implements SharedChange {}

  /** Waiter {@code waiterId} of {@code origin} releases lock {@code lock}, or leaves its queue. */
  record LockRelease(String origin, long waiterId, String lock) implements SharedChange {}

  /** Reads or updates counter {@code counter} as {@code what} says, with operands {@code a} and {@code b}. */
  record CounterUpdate(String origin, long opId, String counter, CounterKind what, long a, long b) implements Operation {}

  /** Appends this change to {@code out}. */
  default void writeTo(Buffer out) {
    if (this instanceof MemberAdded c) {
      out.appendByte((byte) 1);
      writeString(out, c.nodeId());
      writeString(out, c.channelAddress());
    } else if (this instanceof MemberRemoved c) {
      out.appendByte((byte) 2);
      writeString(out, c.nodeId());
    } else if (this instanceof RegistrationAdded c) {
      out.appendByte((byte) 3);
      writeString(out, c.address());
      writeRegistration(out, c.info());
    } else if (this instanceof RegistrationRemoved c) {
      out.appendByte((byte) 4);
      writeString(out, c.address());
      writeRegistration(out, c.info());
    } else if (this instanceof NodeInfoSet c) {
      out.appendByte((byte) 5);
      writeString(out, c.nodeId());
      writeNodeInfo(out, c.info());
    } else if (this instanceof MapWrite c) {
      out.appendByte((byte) 6);
      writeOrigin(out, c.origin(), c.opId(), c.map());
      out.appendByte((byte) (c.mode().ordinal() + 1));
      writeBytes(out, c.key());
      writeBytes(out, c.value());
      out.appendLong(c.ttlMillis());
    } else if (this instanceof MapReplaceIfPresent c) {
      out.appendByte((byte) 7);
      writeOrigin(out, c.origin(), c.opId(), c.map());
      writeBytes(out, c.key());
      writeBytes(out, c.expected());
      writeBytes(out, c.value());
      out.appendLong(c.ttlMillis());
    } else if (this instanceof MapRemove c) {
      out.appendByte((byte) 8);
      writeOrigin(out, c.origin(), c.opId(), c.map());
      writeBytes(out, c.key());
      Bytes expected = c.expected();
      out.appendByte((byte) (expected == null ? 0 : 1));
      if (expected != null) {
        writeBytes(out, expected);
      }
    } else if (this instanceof MapClear c) {
      out.appendByte((byte) 9);
      writeOrigin(out, c.origin(), c.opId(), c.map());
    } else if (this instanceof MapRead c) {
      out.appendByte((byte) 10);
      writeOrigin(out, c.origin(), c.opId(), c.map());
      out.appendByte((byte) (c.what().ordinal() + 1));
      Bytes key = c.key();
      if (key != null) {
        writeBytes(out, key);
      }
    } else if (this instanceof MapExpire c) {
      out.appendByte((byte) 11);
      writeString(out, c.map());
      writeBytes(out, c.key());
      writeString(out, c.writer());
      out.appendLong(c.opId());
    } else if (this instanceof LockAcquire c) {
      out.appendByte((byte) 12);
      writeOrigin(out, c.origin(), c.waiterId(), c.lock());
    } else if (this instanceof LockRelease c) {
      out.appendByte((byte) 13);
      writeOrigin(out, c.origin(), c.waiterId(), c.lock());
    } else if (this instanceof CounterUpdate c) {
      out.appendByte((byte) 14);
      writeOrigin(out, c.origin(), c.opId(), c.counter());
      out.appendByte((byte) (c.what().ordinal() + 1));
      out.appendLong(c.a());
      out.appendLong(c.b());
    }
  }

  /**
   * A change read from {@code in} at {@code pos[0]}, which it advances past the change.
   *
   * @throws MalformedClusterMessageException if the bytes there are not a change
   */
  static Change readFrom(Buffer in, int[] pos) {
    int at = pos[0];
    int kind = readByte(in, pos);
    switch (kind) {
      case 1:
        return new MemberAdded(readString(in, pos), readString(in, pos));
      case 2:
        return new MemberRemoved(readString(in, pos));
      case 3:
      case 4: {
        String address = readString(in, pos);
        RegistrationInfo info = readRegistration(in, pos);
        return kind == 3 ? new RegistrationAdded(address, info) : new RegistrationRemoved(address, info);
      }
      case 5:
        return new NodeInfoSet(readString(in, pos), readNodeInfo(in, pos));
      case 6: {
        String origin = readString(in, pos);
        long opId = readLong(in, pos);
        String map = readString(in, pos);
        WriteMode mode = readEnum(in, pos, WriteMode.values(), "map write mode");
        return new MapWrite(origin, opId, map, mode, readBytes(in, pos), readBytes(in, pos), readTtl(in, pos));
      }
      case 7: {
        String origin = readString(in, pos);
        long opId = readLong(in, pos);
        String map = readString(in, pos);
        return new MapReplaceIfPresent(origin, opId, map, readBytes(in, pos), readBytes(in, pos), readBytes(in, pos), readTtl(in, pos));
      }
      case 8: {
        String origin = readString(in, pos);
        long opId = readLong(in, pos);
        String map = readString(in, pos);
        Bytes key = readBytes(in, pos);
        int flagAt = pos[0];
        int hasExpected = readByte(in, pos);
        if (hasExpected != 0 && hasExpected != 1) {
          throw new MalformedClusterMessageException("map remove's expected-value flag is " + hasExpected + "; need 0 or 1", flagAt);
        }
        return new MapRemove(origin, opId, map, key, hasExpected == 1 ? readBytes(in, pos) : null);
      }
      case 9:
        return new MapClear(readString(in, pos), readLong(in, pos), readString(in, pos));
      case 10: {
        String origin = readString(in, pos);
        long opId = readLong(in, pos);
        String map = readString(in, pos);
        ReadKind what = readEnum(in, pos, ReadKind.values(), "map read kind");
        return new MapRead(origin, opId, map, what, what == ReadKind.GET ? readBytes(in, pos) : null);
      }
      case 11:
        return new MapExpire(readString(in, pos), readBytes(in, pos), readString(in, pos), readLong(in, pos));
      case 12:
        return new LockAcquire(readString(in, pos), readLong(in, pos), readString(in, pos));
      case 13:
        return new LockRelease(readString(in, pos), readLong(in, pos), readString(in, pos));
      case 14: {
        String origin = readString(in, pos);
        long opId = readLong(in, pos);
        String counter = readString(in, pos);
        CounterKind what = readEnum(in, pos, CounterKind.values(), "counter operation");
        return new CounterUpdate(origin, opId, counter, what, readLong(in, pos), readLong(in, pos));
      }
      default:
        throw new MalformedClusterMessageException("unknown change kind " + kind + "; this build knows 1 to 14", at);
    }
  }

  /**
   * The one change that {@code in} holds from {@code start} to its end.
   *
   * @throws MalformedClusterMessageException if those bytes are not exactly one change
   */
  static Change decode(Buffer in, int start) {
    int[] pos = {start};
    Change change = readFrom(in, pos);
    if (pos[0] != in.length()) {
      throw new MalformedClusterMessageException((in.length() - pos[0]) + " bytes after the change", pos[0]);
    }
    return change;
  }

  // ---------------------------------------------------------------- primitives (big-endian)

  private static void writeOrigin(Buffer out, String origin, long opId, String name) {
    writeString(out, origin);
    out.appendLong(opId);
    writeString(out, name);
  }

  /** Appends {@code length u32 | UTF-8 bytes}. */
  static void writeString(Buffer out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  /** Appends {@code length u32 | bytes}. */
  static void writeBytes(Buffer out, Bytes bytes) {
    out.appendInt(bytes.length()).appendBytes(bytes.unsafeArray(), 0, bytes.length());
  }

  /** The byte at {@code pos[0]}, unsigned. */
  static int readByte(Buffer in, int[] pos) {
    need(in, pos[0], 1, "a byte");
    return in.getUnsignedByte(pos[0]++);
  }

  /** The {@code u32} at {@code pos[0]}, as a signed int. */
  static int readInt(Buffer in, int[] pos) {
    need(in, pos[0], 4, "a 4-byte integer");
    int v = in.getInt(pos[0]);
    pos[0] += 4;
    return v;
  }

  /** The {@code u64} at {@code pos[0]}, as a signed long. */
  static long readLong(Buffer in, int[] pos) {
    need(in, pos[0], 8, "an 8-byte integer");
    long v = in.getLong(pos[0]);
    pos[0] += 8;
    return v;
  }

  /** A count ({@code u32}) of items, each at least {@code minItemBytes} long, that must fit in what is left. */
  static int readCount(Buffer in, int[] pos, int minItemBytes, String what) {
    int at = pos[0];
    int count = readInt(in, pos);
    if (count < 0 || (long) count * minItemBytes > in.length() - pos[0]) {
      throw new MalformedClusterMessageException(what + " count " + Integer.toUnsignedString(count)
          + " does not fit in the " + (in.length() - pos[0]) + " bytes left", at);
    }
    return count;
  }

  /** A {@code length u32 | bytes} run. */
  static Bytes readBytes(Buffer in, int[] pos) {
    int at = pos[0];
    int length = readInt(in, pos);
    if (length < 0 || length > in.length() - pos[0]) {
      throw new MalformedClusterMessageException("length " + Integer.toUnsignedString(length)
          + " runs past the end (" + (in.length() - pos[0]) + " bytes left)", at);
    }
    byte[] bytes = in.getBytes(pos[0], pos[0] + length);
    pos[0] += length;
    return Bytes.of(bytes);
  }

  /** A {@code length u32 | UTF-8 bytes} string; the bytes must be well-formed UTF-8. */
  static String readString(Buffer in, int[] pos) {
    int at = pos[0];
    Bytes bytes = readBytes(in, pos);
    return utf8(bytes.unsafeArray(), 0, bytes.length(), at + 4);
  }

  /** {@code length} bytes of {@code array} from {@code from} as strict UTF-8 ({@code at}: their offset, for errors). */
  static String utf8(byte[] array, int from, int length, int at) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(array, from, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedClusterMessageException("text is not well-formed UTF-8", at, e);
    }
  }

  private static long readTtl(Buffer in, int[] pos) {
    int at = pos[0];
    long ttl = readLong(in, pos);
    if (ttl < 0) {
      throw new MalformedClusterMessageException("TTL " + ttl + " ms is negative", at);
    }
    return ttl;
  }

  private static <E extends Enum<E>> E readEnum(Buffer in, int[] pos, E[] values, String what) {
    int at = pos[0];
    int code = readByte(in, pos);
    if (code < 1 || code > values.length) {
      throw new MalformedClusterMessageException(what + " " + code + " is unknown; this build knows 1 to " + values.length, at);
    }
    return values[code - 1];
  }

  private static void need(Buffer in, int at, int bytes, String what) {
    if (at < 0 || at > in.length() - bytes) {
      throw new MalformedClusterMessageException("need " + what + " but the bytes end at " + in.length(), at);
    }
  }

  // ---------------------------------------------------------------- Vert.x values, in Vert.x's layout

  /** {@code RegistrationInfo}: {@code nodeId str | seq u64 | localOnly u8}. */
  private static void writeRegistration(Buffer out, RegistrationInfo info) {
    writeString(out, info.nodeId());
    out.appendLong(info.seq());
    out.appendByte((byte) (info.localOnly() ? 1 : 0));
  }

  private static RegistrationInfo readRegistration(Buffer in, int[] pos) {
    String nodeId = readString(in, pos);
    long seq = readLong(in, pos);
    int at = pos[0];
    int localOnly = readByte(in, pos);
    if (localOnly != 0 && localOnly != 1) {
      throw new MalformedClusterMessageException("registration's localOnly flag is " + localOnly + "; need 0 or 1", at);
    }
    return new RegistrationInfo(nodeId, seq, localOnly == 1);
  }

  /** {@code NodeInfo}: {@code host str | port u32 | metadata length u32 (-1: none) | JSON object, UTF-8}. */
  private static void writeNodeInfo(Buffer out, NodeInfo info) {
    writeString(out, info.host());
    out.appendInt(info.port());
    JsonObject metadata = info.metadata();
    if (metadata == null) {
      out.appendInt(-1);
    } else {
      writeString(out, metadata.encode());
    }
  }

  private static NodeInfo readNodeInfo(Buffer in, int[] pos) {
    String host = readString(in, pos);
    int portAt = pos[0];
    int port = readInt(in, pos);
    if (port < 1 || port > 65535) {
      throw new MalformedClusterMessageException("node info port " + port + " is out of range; need 1 to 65535", portAt);
    }
    int at = pos[0];
    if (at <= in.length() - 4 && in.getInt(at) == -1) {
      pos[0] += 4;
      return new NodeInfo(host, port, null);
    }
    String json = readString(in, pos);
    try {
      return new NodeInfo(host, port, new JsonObject(json));
    } catch (RuntimeException e) { // Vert.x's DecodeException, or a non-object JSON value
      throw new MalformedClusterMessageException("node info metadata is not a JSON object: " + e.getMessage(), at, e);
    }
  }
}
