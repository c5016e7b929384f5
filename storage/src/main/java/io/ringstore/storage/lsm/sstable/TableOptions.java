package io.ringstore.storage.lsm.sstable;

import java.util.Objects;

/**
 * The settings of a {@link TableBuilder}. None of them is part of the file format: a reader opens
 * a table written with any of them.
 *
 * @param blockSizeBytes {@code table.blockSizeBytes}: the builder cuts a data block once its
 *     contents reach this size (so a block holds at least one entry and may pass it by one entry);
 *     256 B to 64 MiB, 4 KiB by default. The size is of the uncompressed contents.
 * @param restartInterval {@code table.restartInterval}: entries between restart points in data
 *     blocks; 1 to 1024, 16 by default
 * @param bloomBitsPerKey {@code table.bloomBitsPerKey}: bloom filter bits per key; 1 to
 *     {@value BloomFilterBuilder#MAX_BITS_PER_KEY}, 10 by default (about 0.8% false positives)
 * @param maxKeyBytes {@code table.maxKeyBytes}: the longest key accepted; 1 B to 16 MiB, 64 KiB by
 *     default
 * @param maxValueBytes {@code table.maxValueBytes}: the longest value accepted; 0 B to 256 MiB,
 *     16 MiB by default (the WAL's default record bound)
 * @param compression {@code table.compression}: how data blocks are stored, {@code none} or
 *     {@code zstd} (the default). With zstd, a data block is stored compressed only when that saves
 *     more than an eighth of it (RocksDB's rule), else as is; the filter, metaindex and index blocks
 *     are always stored as is. zstd needs the native library of {@code com.github.luben:zstd-jni}:
 *     where it cannot be loaded, {@link TableBuilder#create} fails naming this setting, and
 *     {@code none} is the way to write tables there.
 * @param zstdLevel {@code table.zstdLevel}: the zstd compression level, used when
 *     {@code compression} is zstd; {@value #MIN_ZSTD_LEVEL} to {@value #MAX_ZSTD_LEVEL}
 *     (zstd-jni's range: negative levels are faster and compress less, 0 means zstd's default, 3),
 *     3 by default (as RocksDB's). Readers do not need it.
 *
 * <p>Invariants: every value is within its documented range (checked at construction, naming the
 * setting, the value and the bound) and {@code compression} is not null. Constructing options
 * never loads the zstd native library. Thread-safety: immutable.
 */
public record TableOptions(int blockSizeBytes, int restartInterval, int bloomBitsPerKey, int maxKeyBytes,
    int maxValueBytes, BlockCompression compression, int zstdLevel) {

  /** Default {@code table.blockSizeBytes}: 4 KiB. */
  public static final int DEFAULT_BLOCK_SIZE_BYTES = 4 << 10;
  /** Default {@code table.maxKeyBytes}: 64 KiB. */
  public static final int DEFAULT_MAX_KEY_BYTES = 64 << 10;
  /** Default {@code table.maxValueBytes}: 16 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 16 << 20;
  /** Default {@code table.compression}: zstd. */
  public static final BlockCompression DEFAULT_COMPRESSION = BlockCompression.ZSTD;
  /** Default {@code table.zstdLevel}: 3, zstd's own default and RocksDB's. */
  public static final int DEFAULT_ZSTD_LEVEL = 3;
  /**
   * The lowest {@code table.zstdLevel}: zstd-jni's {@code Zstd.minCompressionLevel()}, written out
   * so that checking options does not load the native library (a test keeps the two equal).
   */
  public static final int MIN_ZSTD_LEVEL = -(1 << 17);
  /** The highest {@code table.zstdLevel}: zstd-jni's {@code Zstd.maxCompressionLevel()}. */
  public static final int MAX_ZSTD_LEVEL = 22;

  private static final int MIN_BLOCK_SIZE_BYTES = 256;
  private static final int MAX_BLOCK_SIZE_BYTES = 64 << 20;
  private static final int MAX_RESTART_INTERVAL = 1024;
  private static final int MAX_MAX_KEY_BYTES = 16 << 20;
  private static final int MAX_MAX_VALUE_BYTES = 256 << 20;
  /** Per entry beyond key and value: three varint32 lengths, and perhaps a 4-byte restart offset. */
  private static final int MAX_ENTRY_OVERHEAD_BYTES = 3 * Varints.MAX_INT_BYTES + 4;

  /**
   * The longest data block contents a {@link TableBuilder} writes under any options: a block is
   * cut once it reaches {@code table.blockSizeBytes}, so it holds at most one byte less than the
   * largest block size plus one entry with the longest key and value, 352,321,554 bytes in all.
   * A {@link TableReader} refuses a data block that declares longer contents, and a zstd block of
   * any kind that does (see {@code docs/formats/sstable.md}, "Limits"), before it allocates for them.
   */
  public static final int MAX_BLOCK_CONTENT_BYTES =
      MAX_BLOCK_SIZE_BYTES - 1 + MAX_ENTRY_OVERHEAD_BYTES + MAX_MAX_KEY_BYTES + MAX_MAX_VALUE_BYTES;

  /** Checks every setting. */
  public TableOptions {
    check("table.blockSizeBytes", blockSizeBytes, MIN_BLOCK_SIZE_BYTES, MAX_BLOCK_SIZE_BYTES, " bytes");
    check("table.restartInterval", restartInterval, 1, MAX_RESTART_INTERVAL, " entries");
    check("table.bloomBitsPerKey", bloomBitsPerKey, 1, BloomFilterBuilder.MAX_BITS_PER_KEY, " bits");
    check("table.maxKeyBytes", maxKeyBytes, 1, MAX_MAX_KEY_BYTES, " bytes");
    check("table.maxValueBytes", maxValueBytes, 0, MAX_MAX_VALUE_BYTES, " bytes");
    Objects.requireNonNull(compression, "table.compression");
    check("table.zstdLevel", zstdLevel, MIN_ZSTD_LEVEL, MAX_ZSTD_LEVEL, "");
  }

  /**
   * Options with the default {@code table.compression} (zstd) and {@code table.zstdLevel} (3):
   * the constructor of the settings that came before compression, kept for its callers.
   */
  public TableOptions(int blockSizeBytes, int restartInterval, int bloomBitsPerKey, int maxKeyBytes,
      int maxValueBytes) {
    this(blockSizeBytes, restartInterval, bloomBitsPerKey, maxKeyBytes, maxValueBytes, DEFAULT_COMPRESSION,
        DEFAULT_ZSTD_LEVEL);
  }

  /** The defaults. */
  public static TableOptions defaults() {
    return new TableOptions(DEFAULT_BLOCK_SIZE_BYTES, BlockBuilder.DEFAULT_RESTART_INTERVAL,
        BloomFilterBuilder.DEFAULT_BITS_PER_KEY, DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES, DEFAULT_COMPRESSION,
        DEFAULT_ZSTD_LEVEL);
  }

  /** A copy with another {@code table.blockSizeBytes}. */
  public TableOptions withBlockSizeBytes(int bytes) {
    return new TableOptions(bytes, restartInterval, bloomBitsPerKey, maxKeyBytes, maxValueBytes, compression,
        zstdLevel);
  }

  /** A copy with another {@code table.restartInterval}. */
  public TableOptions withRestartInterval(int entries) {
    return new TableOptions(blockSizeBytes, entries, bloomBitsPerKey, maxKeyBytes, maxValueBytes, compression,
        zstdLevel);
  }

  /** A copy with another {@code table.bloomBitsPerKey}. */
  public TableOptions withBloomBitsPerKey(int bits) {
    return new TableOptions(blockSizeBytes, restartInterval, bits, maxKeyBytes, maxValueBytes, compression,
        zstdLevel);
  }

  /** A copy with another {@code table.maxKeyBytes}. */
  public TableOptions withMaxKeyBytes(int bytes) {
    return new TableOptions(blockSizeBytes, restartInterval, bloomBitsPerKey, bytes, maxValueBytes, compression,
        zstdLevel);
  }

  /** A copy with another {@code table.maxValueBytes}. */
  public TableOptions withMaxValueBytes(int bytes) {
    return new TableOptions(blockSizeBytes, restartInterval, bloomBitsPerKey, maxKeyBytes, bytes, compression,
        zstdLevel);
  }

  /** A copy with another {@code table.compression}. */
  public TableOptions withCompression(BlockCompression compression) {
    return new TableOptions(blockSizeBytes, restartInterval, bloomBitsPerKey, maxKeyBytes, maxValueBytes, compression,
        zstdLevel);
  }

  /** A copy with another {@code table.zstdLevel}. */
  public TableOptions withZstdLevel(int level) {
    return new TableOptions(blockSizeBytes, restartInterval, bloomBitsPerKey, maxKeyBytes, maxValueBytes, compression,
        level);
  }

  private static void check(String setting, int value, int min, int max, String unit) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(setting + " = " + value + unit + " is out of range; need " + min
          + " <= " + setting + " <= " + max + unit);
    }
  }
}
