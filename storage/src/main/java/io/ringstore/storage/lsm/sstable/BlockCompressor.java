package io.ringstore.storage.lsm.sstable;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Seals the data blocks of one table: compresses each with {@code table.compression}, keeps the
 * result only when it saves more than an eighth of the contents (RocksDB's rule; otherwise the block
 * is stored as {@link BlockCompression#NONE}), and appends the {@linkplain BlockTrailer trailer}.
 *
 * <p>The zstd context (native memory sized by the level, and costly to set up: making one per
 * block would cost about half as much again as compressing a 4 KiB block) and the output buffer
 * are made once and reused for every block; {@link #close()} frees the context. Frames carry
 * their content size and no zstd checksum (the trailer's CRC32C covers the stored bytes).
 *
 * <p>Thread-safety: not thread-safe; one per {@link TableBuilder}, used by its writer only.
 */
final class BlockCompressor implements AutoCloseable {
  /** A compressed block is kept only if it saves more than length >>> this: an eighth, as in RocksDB. */
  private static final int MIN_SAVING_SHIFT = 3;

  // mutable, single writer
  private @Nullable ZstdCompressCtx zstd; // null when table.compression = none, and once closed
  private byte[] buffer = new byte[0];

  /**
   * A compressor for {@code options}. For zstd, the context is made here, from {@code contexts}
   * (the test seam for a platform without the native library; normally {@code ZstdCompressCtx::new}).
   *
   * @throws IllegalStateException naming {@code table.compression = zstd} and the cause if the
   *     zstd native library cannot be loaded
   */
  BlockCompressor(TableOptions options, Supplier<ZstdCompressCtx> contexts) {
    if (options.compression() == BlockCompression.ZSTD) {
      ZstdCompressCtx context;
      try {
        context = contexts.get();
      } catch (LinkageError e) { // UnsatisfiedLinkError, or NoClassDefFoundError after a failed first load
        throw nativeUnavailable("table.compression = zstd cannot be used", e,
            "; set table.compression = none on this platform");
      }
      try {
        context.setLevel(options.zstdLevel()).setChecksum(false).setContentSize(true).setDictID(false);
      } catch (RuntimeException e) {
        context.close();
        throw e;
      }
      this.zstd = context;
    }
  }

  /**
   * Seals {@code contents}: afterwards {@link #buffer()}{@code [0 .. result)} holds the stored
   * bytes and the trailer, ready to append. The buffer is overwritten by the next call.
   */
  int seal(byte[] contents) {
    int length = contents.length;
    int stored = -1;
    BlockCompression type = BlockCompression.NONE;
    if (zstd != null && length > 0) {
      ensureCapacity(Math.max(length, (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(length)))
          + BlockTrailer.SIZE_BYTES);
      int compressed = zstd.compressByteArray(buffer, 0, buffer.length, contents, 0, length);
      if (compressed < length - (length >>> MIN_SAVING_SHIFT)) {
        stored = compressed;
        type = BlockCompression.ZSTD;
      }
    }
    if (stored < 0) {
      ensureCapacity(length + BlockTrailer.SIZE_BYTES);
      System.arraycopy(contents, 0, buffer, 0, length);
      stored = length;
    }
    buffer[stored] = (byte) type.code();
    Varints.putFixed32(buffer, stored + 1, BlockTrailer.mask(BlockTrailer.crc32c(buffer, 0, stored, type.code())));
    return stored + BlockTrailer.SIZE_BYTES;
  }

  /** The buffer {@link #seal} fills. */
  byte[] buffer() {
    return buffer;
  }

  /** Frees the zstd context. Idempotent. */
  @Override
  public void close() {
    if (zstd != null) {
      zstd.close();
      zstd = null;
    }
  }

  private void ensureCapacity(int bytes) {
    if (buffer.length < bytes) {
      buffer = new byte[bytes];
    }
  }

  /**
   * {@code contents[offset .. offset+length)} as one zstd frame with its content size, with a
   * context made for this call ({@link BlockTrailer#seal} with {@link BlockCompression#ZSTD}).
   */
  static byte[] zstdFrame(byte[] contents, int offset, int length, int level) {
    ZstdCompressCtx context;
    try {
      context = new ZstdCompressCtx();
    } catch (LinkageError e) {
      throw nativeUnavailable("cannot compress with zstd", e, "");
    }
    try (context) {
      context.setLevel(level).setChecksum(false).setContentSize(true).setDictID(false);
      byte[] out = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(length))];
      int size = context.compressByteArray(out, 0, out.length, contents, offset, length);
      return Arrays.copyOf(out, size);
    }
  }

  /** The error for a platform where zstd-jni cannot load its native library. */
  static IllegalStateException nativeUnavailable(String what, LinkageError cause, String advice) {
    String platform = System.getProperty("os.name", "?").toLowerCase(Locale.ROOT) + "/"
        + System.getProperty("os.arch", "?");
    return new IllegalStateException(what + ": the zstd native library of com.github.luben:zstd-jni cannot be loaded"
        + " on " + platform + " (" + cause + ")" + advice, cause);
  }
}
