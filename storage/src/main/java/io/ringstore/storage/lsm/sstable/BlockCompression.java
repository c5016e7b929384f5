package io.ringstore.storage.lsm.sstable;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * How a block's contents are compressed on disk, named by the type byte of its
 * {@linkplain BlockTrailer trailer}. See {@code docs/formats/sstable.md}, "Compression types".
 *
 * <p>Codes are part of the format and never reused: {@code 0} is {@link #NONE}, {@code 1} is
 * {@link #ZSTD}. Any other code is refused with a {@link CorruptionException} naming it.
 *
 * <p>{@link #ZSTD} stores each block as exactly one zstd frame (RFC 8878, magic
 * {@code 28 b5 2f fd}) that records its content size. A reader checks, before it allocates
 * anything, that the stored bytes are one such frame and that the declared size is within its
 * block limit and within what the stored bytes can expand to; it then refuses a frame that does
 * not decompress to exactly the declared size (see {@link BlockDecompressors}). A writer may store
 * any block uncompressed when compression would not make it smaller; the reader follows the type
 * byte of each block.
 *
 * <p>zstd comes from {@code com.github.luben:zstd-jni}, whose jar carries the native library for
 * common platforms. If it cannot be loaded, {@link TableBuilder#create} with
 * {@code table.compression = zstd} fails, and reading a zstd block throws
 * {@link IllegalStateException}; both name the cause. Tables and blocks stored as {@link #NONE}
 * never touch the native library. On JDK 24 and later, loading it prints a warning about a
 * restricted method unless the JVM runs with {@code --enable-native-access=ALL-UNNAMED} (or the
 * module that holds zstd-jni).
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
    byte[] decompress(byte[] stored, int offset, int length, int maxContentBytes, String structure,
        @Nullable BlockDecompressors contexts) {
      if (length > maxContentBytes) {
        throw new CorruptionException(structure, 0, "contents of " + length + " bytes exceed the limit of "
            + maxContentBytes + " bytes");
      }
      return Arrays.copyOfRange(stored, offset, offset + length);
    }
  },

  /**
   * One zstd frame with its content size. The writer's level is {@code table.zstdLevel}; the
   * reader needs no setting.
   */
  ZSTD(1) {
    @Override
    byte[] compress(byte[] contents, int offset, int length) {
      return BlockCompressor.zstdFrame(contents, offset, length, TableOptions.DEFAULT_ZSTD_LEVEL);
    }

    @Override
    byte[] decompress(byte[] stored, int offset, int length, int maxContentBytes, String structure,
        @Nullable BlockDecompressors contexts) {
      return BlockDecompressors.decompressZstd(contexts, stored, offset, length, maxContentBytes, structure);
    }
  };

  /** The type byte of {@link #ZSTD}. */
  public static final int ZSTD_CODE = 1;

  private final int code;

  BlockCompression(int code) {
    this.code = code;
  }

  /** The type byte written in the block trailer. */
  public int code() {
    return code;
  }

  /**
   * Compresses {@code contents[offset .. offset+length)} into a fresh array, always with this
   * type (the table builder instead goes through a {@link BlockCompressor}, which reuses its zstd
   * context and may fall back to {@link #NONE}).
   */
  abstract byte[] compress(byte[] contents, int offset, int length);

  /**
   * Decompresses {@code stored[offset .. offset+length)} into a fresh array of at most
   * {@code maxContentBytes}.
   *
   * @param contexts where to borrow a zstd context, or {@code null} to make one for this call
   * @throws CorruptionException if the stored bytes are malformed or decompress past the limit
   * @throws IllegalStateException if the block is zstd and the zstd native library cannot be loaded
   */
  abstract byte[] decompress(byte[] stored, int offset, int length, int maxContentBytes, String structure,
      @Nullable BlockDecompressors contexts);

  /**
   * The compression named by a trailer's type byte.
   *
   * @throws CorruptionException naming the code if it is unknown
   */
  static BlockCompression ofCode(int code, String structure, long offset) {
    for (BlockCompression c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new CorruptionException(structure, offset, "unknown compression type " + code
        + " (known: 0 = none, 1 = zstd)");
  }
}
