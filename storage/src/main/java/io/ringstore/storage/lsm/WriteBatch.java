package io.ringstore.storage.lsm;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.Bytes;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import io.ringstore.storage.lsm.sstable.Varints;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Puts and deletes applied to an {@link LsmStore} as one unit: one WAL record, so after a crash
 * either all of them are there or none, and a snapshot or iterator sees all of them or none.
 *
 * <p>The WAL payload of a batch ({@code docs/formats/wal.md}, "batch payload"):
 * {@code first sequence u64 LE | count varint32 | count x (kind u8 | key length varint32 | key |
 * [value length varint32 | value])}, kind {@code 1} a put and {@code 0} a delete. Operation
 * {@code i} gets sequence number {@code first + i}, so a later operation on the same key wins.
 *
 * <p>Thread-safety: not thread-safe; build a batch on one thread, then hand it to
 * {@link LsmStore#write}.
 */
public final class WriteBatch {

  /** The kind byte of a put. */
  static final int PUT = 1;
  /** The kind byte of a delete. */
  static final int DELETE = 0;

  private final List<Op> ops = new ArrayList<>();
  private long payloadBytes = 8 + 5;

  /** One put ({@code value != null}) or delete. */
  record Op(Bytes key, byte @Nullable [] value) {}

  /** Adds a put of {@code value} (the array is the batch's from now on) under {@code key}. */
  public WriteBatch put(Bytes key, byte[] value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    ops.add(new Op(key, value));
    payloadBytes += 1 + 5 + key.length() + 5 + value.length;
    return this;
  }

  /** Adds a delete of {@code key}. */
  public WriteBatch delete(Bytes key) {
    requireNonNull(key, "key");
    ops.add(new Op(key, null));
    payloadBytes += 1 + 5 + key.length();
    return this;
  }

  /** The number of operations. */
  public int size() {
    return ops.size();
  }

  /** Whether the batch holds no operation. */
  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** An upper bound of the encoded payload's length. */
  long maxPayloadBytes() {
    return payloadBytes;
  }

  List<Op> ops() {
    return ops;
  }

  /** The WAL payload of this batch with sequence numbers from {@code firstSequence}. */
  byte[] encode(long firstSequence) {
    byte[] out = new byte[(int) payloadBytes];
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, firstSequence);
    int at = 8;
    at = Varints.putInt(out, at, ops.size());
    for (Op op : ops) {
      out[at++] = (byte) (op.value == null ? DELETE : PUT);
      at = Varints.putInt(out, at, op.key.length());
      byte[] key = op.key.unsafeArray();
      System.arraycopy(key, 0, out, at, op.key.length());
      at += op.key.length();
      if (op.value != null) {
        at = Varints.putInt(out, at, op.value.length);
        System.arraycopy(op.value, 0, out, at, op.value.length);
        at += op.value.length;
      }
    }
    return at == out.length ? out : java.util.Arrays.copyOf(out, at);
  }

  /** A batch read back from a WAL record: its first sequence number and operations. */
  record Decoded(long firstSequence, List<Op> ops) {}

  /**
   * Decodes a WAL payload written by {@link #encode}.
   *
   * @throws CorruptionException naming the offset in the payload if it is malformed: a truncated
   *     field, an unknown kind, a length past the payload's end, a count the payload cannot hold, or
   *     bytes left after the last operation
   */
  static Decoded decode(Bytes payload) {
    byte[] bytes = payload.unsafeArray();
    int length = payload.length();
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (length < 9) {
        throw new CorruptionException("write batch", 0, "payload of " + length + " bytes is shorter than the 9-byte"
            + " minimum (sequence and count)");
      }
      long first = in.getLong();
      if (first < 1) {
        throw new CorruptionException("write batch", 0, "first sequence number " + first + " is below 1");
      }
      int countAt = in.position();
      int count = varint(in, "count");
      if (count < 0 || count > (length - in.position()) / 2) {
        throw new CorruptionException("write batch", countAt, "count " + Integer.toUnsignedString(count)
            + " cannot fit the " + (length - in.position()) + " bytes left (at least 2 bytes per operation)");
      }
      List<Op> ops = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int opAt = in.position();
        int kind = in.get() & 0xff;
        if (kind != PUT && kind != DELETE) {
          throw new CorruptionException("write batch", opAt, "operation " + i + " has unknown kind " + kind
              + " (known: 0 = delete, 1 = put)");
        }
        Bytes key = Bytes.of(slice(in, "key of operation " + i));
        byte[] value = kind == PUT ? slice(in, "value of operation " + i) : null;
        ops.add(new Op(key, value));
      }
      if (in.hasRemaining()) {
        throw new CorruptionException("write batch", in.position(), in.remaining()
            + " bytes follow the last operation");
      }
      if (first > Long.MAX_VALUE - count) {
        throw new CorruptionException("write batch", 0, "sequence numbers " + first + " + " + count
            + " overflow");
      }
      return new Decoded(first, ops);
    } catch (BufferUnderflowException e) {
      throw new CorruptionException("write batch", in.position(), "truncated: the payload ends inside a field");
    }
  }

  private static int varint(ByteBuffer in, String what) {
    int at = in.position();
    try {
      return Varints.readInt(in);
    } catch (CorruptionException e) {
      throw new CorruptionException("write batch", at, what + ": " + e.detail());
    }
  }

  private static byte[] slice(ByteBuffer in, String what) {
    int at = in.position();
    int length = varint(in, "length of " + what);
    if (length < 0 || length > in.remaining()) {
      throw new CorruptionException("write batch", at, what + " has length " + Integer.toUnsignedString(length)
          + " but only " + in.remaining() + " bytes are left");
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }
}
