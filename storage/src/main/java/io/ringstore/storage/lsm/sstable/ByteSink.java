package io.ringstore.storage.lsm.sstable;

import java.util.Arrays;

/**
 * A growable byte array that encoders append to, with varint and little-endian writers.
 *
 * <p>Invariant: {@code 0 <= size <= buffer.length <= MAX_BYTES}. Growing past {@link #MAX_BYTES}
 * throws {@link IllegalStateException}: a block that large is a bug in the caller's block-size
 * bound, never something to write.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class ByteSink {
  /** The largest content, a little under the largest Java array. */
  static final int MAX_BYTES = Integer.MAX_VALUE - 16;

  private byte[] buffer;
  private int size;

  ByteSink(int initialCapacityBytes) {
    buffer = new byte[Math.max(16, initialCapacityBytes)];
  }

  int size() {
    return size;
  }

  /** The backing array; bytes {@code [0, size())} are the content. */
  byte[] array() {
    return buffer;
  }

  void reset() {
    size = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private void ensure(long extra) {
    long needed = size + extra;
    if (needed > MAX_BYTES) {
      throw new IllegalStateException("encoded structure would reach " + needed + " bytes; the limit is "
          + MAX_BYTES + " bytes");
    }
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_BYTES, Math.max(needed, 2L * buffer.length)));
    }
  }

  void writeByte(int b) {
    ensure(1);
    buffer[size++] = (byte) b;
  }

  void write(byte[] src, int offset, int length) {
    ensure(length);
    System.arraycopy(src, offset, buffer, size, length);
    size += length;
  }

  void write(byte[] src) {
    write(src, 0, src.length);
  }

  void writeVarint32(int value) {
    ensure(Varints.MAX_INT_BYTES);
    size = Varints.putInt(buffer, size, value);
  }

  void writeVarint64(long value) {
    ensure(Varints.MAX_LONG_BYTES);
    size = Varints.putLong(buffer, size, value);
  }

  void writeFixed32(int value) {
    ensure(4);
    Varints.putFixed32(buffer, size, value);
    size += 4;
  }

  void writeFixed64(long value) {
    ensure(8);
    Varints.putFixed64(buffer, size, value);
    size += 8;
  }
}
