package io.ringstore.storage.lsm.sstable;

import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints (7 bits a byte, least significant group first, high bit set on every byte
 * but the last), as LevelDB and protocol buffers write them, plus little-endian fixed-width
 * integers.
 *
 * <p>Decoding is strict: a varint32 holds a value below 2^32 in at most {@value #MAX_INT_BYTES}
 * bytes, a varint64 a value below 2^64 in at most {@value #MAX_LONG_BYTES} bytes, and an encoding
 * longer than the value needs (a last byte of 0x00 after the first) is refused. So each value has
 * one encoding, and a flipped or truncated varint never decodes silently to a wrong length.
 * Failures throw {@link CorruptionException} with structure {@code "varint"} and the offset in the
 * buffer.
 *
 * <p>Thread-safety: stateless.
 */
public final class Varints {
  /** The longest varint32: 5 bytes. */
  public static final int MAX_INT_BYTES = 5;
  /** The longest varint64: 10 bytes. */
  public static final int MAX_LONG_BYTES = 10;

  private Varints() {}

  /** The number of bytes {@code value}, read as unsigned, takes as a varint (1 to 5). */
  public static int sizeOfInt(int value) {
    return sizeOfLong(Integer.toUnsignedLong(value));
  }

  /** The number of bytes {@code value}, read as unsigned, takes as a varint (1 to 10). */
  public static int sizeOfLong(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /**
   * Writes {@code value} (unsigned) at {@code dst[offset]} and returns the offset after it.
   *
   * @throws IndexOutOfBoundsException if it does not fit; callers size {@code dst} with {@link #sizeOfInt}
   */
  public static int putInt(byte[] dst, int offset, int value) {
    return putLong(dst, offset, Integer.toUnsignedLong(value));
  }

  /** Writes {@code value} (unsigned) at {@code dst[offset]} and returns the offset after it. */
  public static int putLong(byte[] dst, int offset, long value) {
    int at = offset;
    while ((value & ~0x7fL) != 0) {
      dst[at++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    dst[at++] = (byte) value;
    return at;
  }

  /**
   * Reads an unsigned varint32 at the buffer's position and advances past it. The result holds
   * the value's 32 bits ({@link Integer#toUnsignedLong} recovers values of 2^31 and more).
   *
   * @throws CorruptionException if the varint is truncated, longer than 5 bytes, above 2^32 - 1 or
   *     not in its shortest form; the position is then unchanged
   */
  public static int readInt(ByteBuffer in) {
    return (int) read(in, MAX_INT_BYTES);
  }

  /**
   * Reads an unsigned varint64 at the buffer's position and advances past it.
   *
   * @throws CorruptionException if the varint is truncated, longer than 10 bytes, above 2^64 - 1 or
   *     not in its shortest form; the position is then unchanged
   */
  public static long readLong(ByteBuffer in) {
    return read(in, MAX_LONG_BYTES);
  }

  private static long read(ByteBuffer in, int maxBytes) {
    int start = in.position();
    byte[] window = new byte[Math.min(maxBytes, in.remaining())];
    in.get(start, window);
    ByteReader reader = new ByteReader(window, 0, window.length, "varint");
    long value;
    try {
      value = maxBytes == MAX_INT_BYTES ? reader.readVarint32("value") : reader.readVarint64("value");
    } catch (CorruptionException e) {
      throw new CorruptionException(e.structure(), start + e.offset(), e.detail());
    }
    in.position(start + reader.position());
    return value;
  }

  /** The largest last byte of a varint of {@code maxBytes}: 4 bits left of 32, 1 bit of 64. */
  static int maxLastByte(int maxBytes) {
    return maxBytes == MAX_INT_BYTES ? 0x0f : 0x01;
  }

  /** The little-endian 32-bit integer at {@code src[offset]} (bounds checked by the caller). */
  static int getFixed32(byte[] src, int offset) {
    return (src[offset] & 0xff) | (src[offset + 1] & 0xff) << 8 | (src[offset + 2] & 0xff) << 16
        | (src[offset + 3] & 0xff) << 24;
  }

  /** The little-endian 64-bit integer at {@code src[offset]} (bounds checked by the caller). */
  static long getFixed64(byte[] src, int offset) {
    return Integer.toUnsignedLong(getFixed32(src, offset)) | (long) getFixed32(src, offset + 4) << 32;
  }

  /** Writes {@code value} little-endian at {@code dst[offset]}. */
  static void putFixed32(byte[] dst, int offset, int value) {
    dst[offset] = (byte) value;
    dst[offset + 1] = (byte) (value >>> 8);
    dst[offset + 2] = (byte) (value >>> 16);
    dst[offset + 3] = (byte) (value >>> 24);
  }

  /** Writes {@code value} little-endian at {@code dst[offset]}. */
  static void putFixed64(byte[] dst, int offset, long value) {
    putFixed32(dst, offset, (int) value);
    putFixed32(dst, offset + 4, (int) (value >>> 32));
  }
}
