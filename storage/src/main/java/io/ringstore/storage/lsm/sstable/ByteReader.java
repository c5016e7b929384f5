package io.ringstore.storage.lsm.sstable;

/**
 * A bounds-checked cursor over a range of a byte array, for decoders: every read checks the
 * bytes remaining first and throws {@link CorruptionException} naming the structure, the field and
 * the offset of the item (relative to the start of the range) instead of reading past the end.
 *
 * <p>Varints must be canonical: a varint32 has at most 5 bytes and a value below 2^32, a varint64
 * at most 10 bytes and a value below 2^64, and neither may end in a zero byte after its first
 * (a longer spelling of a shorter value). So every value has exactly one encoding and a decoded
 * value re-encodes to the very bytes it came from.
 *
 * <p>Thread-safety: not thread-safe; one decoder owns it.
 */
final class ByteReader {
  private final byte[] bytes;
  private final int base;
  private final int limit;
  private final String structure;
  private int position;

  /** Reads {@code bytes[offset .. offset+length)}; offsets in errors are relative to {@code offset}. */
  ByteReader(byte[] bytes, int offset, int length, String structure) {
    if (offset < 0 || length < 0 || length > bytes.length - offset) {
      throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + length
          + ") is outside an array of " + bytes.length + " bytes");
    }
    this.bytes = bytes;
    this.base = offset;
    this.limit = offset + length;
    this.structure = structure;
    this.position = offset;
  }

  /** The offset of the next byte, relative to the start of the range. */
  int position() {
    return position - base;
  }

  /** The bytes left to read. */
  int remaining() {
    return limit - position;
  }

  /** The absolute array index of the next byte. */
  int arrayIndex() {
    return position;
  }

  CorruptionException corrupt(int relativeOffset, String detail) {
    return new CorruptionException(structure, relativeOffset, detail);
  }

  /** Skips {@code count} bytes, checking that they are there. */
  void skip(long count, String field) {
    require(count, field);
    position += (int) count;
  }

  /** Checks that at least {@code count} bytes remain. */
  void require(long count, String field) {
    if (count < 0 || count > remaining()) {
      throw corrupt(position(), field + " needs " + Long.toUnsignedString(count) + " bytes but only "
          + remaining() + " remain");
    }
  }

  int readUnsignedByte(String field) {
    require(1, field);
    return bytes[position++] & 0xff;
  }

  /** A little-endian 32-bit integer. */
  int readFixed32(String field) {
    require(4, field);
    int value = Varints.getFixed32(bytes, position);
    position += 4;
    return value;
  }

  /** A little-endian 64-bit integer. */
  long readFixed64(String field) {
    require(8, field);
    long value = Varints.getFixed64(bytes, position);
    position += 8;
    return value;
  }

  /** An unsigned varint32, returned as the low 32 bits of a non-negative long. */
  long readVarint32(String field) {
    return readVarint(Varints.MAX_INT_BYTES, field);
  }

  /** An unsigned varint64, as the bits of a long (values of 2^63 and more are negative). */
  long readVarint64(String field) {
    return readVarint(Varints.MAX_LONG_BYTES, field);
  }

  /** An unsigned varint32 that must be at most {@code max}. */
  int readVarint32AtMost(long max, String field) {
    int start = position();
    long value = readVarint32(field);
    if (value > max) {
      throw corrupt(start, field + " = " + value + " is more than the " + max + " bytes it may take");
    }
    return (int) value;
  }

  private long readVarint(int maxBytes, String field) {
    int start = position();
    long result = 0;
    for (int i = 0; ; i++) {
      if (position >= limit) {
        throw corrupt(start, field + ": varint truncated after " + i + " byte" + (i == 1 ? "" : "s"));
      }
      int b = bytes[position++] & 0xff;
      if (i == maxBytes - 1 && b > Varints.maxLastByte(maxBytes)) {
        throw corrupt(start, field + ": varint" + (maxBytes == Varints.MAX_INT_BYTES ? 32 : 64)
            + " overflows (byte " + (i + 1) + " is 0x" + Integer.toHexString(b) + ")");
      }
      result |= (long) (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        if (b == 0 && i > 0) {
          throw corrupt(start, field + ": varint is not in its shortest form (" + (i + 1) + " bytes ending in 0x00)");
        }
        return result;
      }
    }
  }
}
