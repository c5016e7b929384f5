package io.ringstore.storage.lsm.sstable;

import java.nio.ByteBuffer;

/**
 * Where a block lies in a table file: the offset of its first byte and the size of its stored
 * (possibly compressed) bytes, not counting the {@value BlockTrailer#SIZE_BYTES}-byte
 * {@linkplain BlockTrailer trailer} that follows them. Encoded as two varint64s, offset then size,
 * so at most {@value #MAX_ENCODED_LENGTH} bytes. Index block values and metaindex values are
 * handles, and the footer holds two.
 *
 * <p>Invariants: {@code 0 <= offset}, {@code 0 <= sizeBytes <= MAX_SIZE_BYTES} (a block and its
 * trailer fit in one Java array), and {@code offset + sizeBytes + 5} does not overflow.
 *
 * <p>Thread-safety: immutable.
 */
public record BlockHandle(long offset, long sizeBytes) {
  /** The longest encoding: two 10-byte varints. */
  public static final int MAX_ENCODED_LENGTH = 2 * Varints.MAX_LONG_BYTES;
  /** The largest stored block: its bytes and trailer fit in one Java array. */
  public static final long MAX_SIZE_BYTES = ByteSink.MAX_BYTES - BlockTrailer.SIZE_BYTES;

  /**
   * @throws IllegalArgumentException if an invariant does not hold
   */
  public BlockHandle {
    if (offset < 0 || sizeBytes < 0 || sizeBytes > MAX_SIZE_BYTES
        || offset > Long.MAX_VALUE - sizeBytes - BlockTrailer.SIZE_BYTES) {
      throw new IllegalArgumentException("block handle offset = " + offset + ", sizeBytes = " + sizeBytes
          + " is out of range; need offset >= 0, 0 <= sizeBytes <= " + MAX_SIZE_BYTES
          + " and offset + sizeBytes + " + BlockTrailer.SIZE_BYTES + " <= " + Long.MAX_VALUE);
    }
  }

  /** The file offset just past this block's trailer, where the next block starts. */
  public long endOffset() {
    return offset + sizeBytes + BlockTrailer.SIZE_BYTES;
  }

  /** The encoded length, in bytes (2 to 20). */
  public int encodedLength() {
    return Varints.sizeOfLong(offset) + Varints.sizeOfLong(sizeBytes);
  }

  /** Writes the encoding at {@code dst[at]} and returns the offset after it. */
  public int encodeTo(byte[] dst, int at) {
    return Varints.putLong(dst, Varints.putLong(dst, at, offset), sizeBytes);
  }

  /** The encoding in a fresh array. */
  public byte[] encode() {
    byte[] out = new byte[encodedLength()];
    encodeTo(out, 0);
    return out;
  }

  /**
   * Reads a handle at the buffer's position and advances past it.
   *
   * @throws CorruptionException (structure {@code "block handle"}, offset in the buffer) if a varint
   *     is malformed or a value breaks an invariant; the position is then unchanged
   */
  public static BlockHandle decode(ByteBuffer in) {
    int start = in.position();
    byte[] window = new byte[Math.min(MAX_ENCODED_LENGTH, in.remaining())];
    in.get(start, window);
    ByteReader reader = new ByteReader(window, 0, window.length, "block handle");
    BlockHandle handle;
    try {
      handle = read(reader);
    } catch (CorruptionException e) {
      throw new CorruptionException(e.structure(), start + e.offset(), e.detail());
    }
    in.position(start + reader.position());
    return handle;
  }

  /**
   * Decodes a value that must be exactly one handle, as in index and metaindex blocks.
   *
   * @param structure what holds the value, for errors (e.g. {@code "index block entry 3"})
   * @throws CorruptionException if the handle is malformed or bytes follow it
   */
  public static BlockHandle decodeExactly(byte[] value, String structure) {
    ByteReader reader = new ByteReader(value, 0, value.length, structure);
    BlockHandle handle = read(reader);
    if (reader.remaining() != 0) {
      throw reader.corrupt(reader.position(), reader.remaining() + " bytes follow the block handle");
    }
    return handle;
  }

  /** Reads a handle from {@code reader}. */
  static BlockHandle read(ByteReader reader) {
    int start = reader.position();
    long offset = reader.readVarint64("block handle offset");
    long size = reader.readVarint64("block handle size");
    if (offset < 0) {
      throw reader.corrupt(start, "block handle offset " + Long.toUnsignedString(offset) + " is above " + Long.MAX_VALUE);
    }
    if (size < 0 || size > MAX_SIZE_BYTES) {
      throw reader.corrupt(start, "block handle size " + Long.toUnsignedString(size) + " bytes is above the limit of "
          + MAX_SIZE_BYTES + " bytes");
    }
    if (offset > Long.MAX_VALUE - size - BlockTrailer.SIZE_BYTES) {
      throw reader.corrupt(start, "block handle offset " + offset + " + size " + size + " overflows");
    }
    return new BlockHandle(offset, size);
  }
}
