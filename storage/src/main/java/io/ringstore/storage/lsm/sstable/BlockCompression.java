package io.ringstore.storage.lsm.sstable;

import java.util.Arrays;

/**
 * How a block's contents are compressed on disk, named by the type byte of its
 * {@linkplain BlockTrailer trailer}.
 *
 * <p>Codes are part of the format and never reused: {@code 0} is {@link #NONE}; {@code 1} is
 * reserved for {@code ZSTD}, which a later change adds with {@code com.github.luben:zstd-jni}
 * (compress each block as one zstd frame with its content size; on read, refuse a frame whose
 * declared content size is above the reader's block bound before allocating, and refuse a frame
 * that decompresses to any other size). Until then a reader meeting code 1 refuses the block
 * with a {@link CorruptionException} that names zstd as unsupported by this build, and any other
 * unknown code as unknown. A writer may also store a block uncompressed when compression would
 * not make it smaller; the reader follows the type byte of each block.
 *
 * <p>Thread-safety: stateless constants.
 */
public enum BlockCompression {
  /** Stored as is. */
  NONE(0) {
    @Override
    byte[] compress(byte[] contents, int offset, int length) {
      return Arrays.copyOfRange(contents, offset, offset + length);
    }

    @Override
    byte[] decompress(byte[] stored, int offset, int length, int maxContentBytes, String structure) {
      if (length > maxContentBytes) {
        throw new CorruptionException(structure, 0, "contents of " + length + " bytes exceed the limit of "
            + maxContentBytes + " bytes");
      }
      return Arrays.copyOfRange(stored, offset, offset + length);
    }
  };

  /** The type byte reserved for zstd (not yet supported by this build). */
  public static final int ZSTD_CODE = 1;

  private final int code;

  BlockCompression(int code) {
    this.code = code;
  }

  /** The type byte written in the block trailer. */
  public int code() {
    return code;
  }

  /** Compresses {@code contents[offset .. offset+length)} into a fresh array. */
  abstract byte[] compress(byte[] contents, int offset, int length);

  /**
   * Decompresses {@code stored[offset .. offset+length)} into a fresh array of at most
   * {@code maxContentBytes}.
   *
   * @throws CorruptionException if the stored bytes are malformed or decompress past the limit
   */
  abstract byte[] decompress(byte[] stored, int offset, int length, int maxContentBytes, String structure);

  /**
   * The compression named by a trailer's type byte.
   *
   * @throws CorruptionException naming the code if this build does not know it
   */
  static BlockCompression ofCode(int code, String structure, long offset) {
    for (BlockCompression c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new CorruptionException(structure, offset, code == ZSTD_CODE
        ? "compression type 1 (zstd) is not supported by this build"
        : "unknown compression type " + code + " (known: 0 = none; 1 = zstd, reserved)");
  }
}
