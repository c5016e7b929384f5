package io.ringstore.storage.lsm.sstable;

/**
 * The settings of a {@link TableBuilder}. None of them is part of the file format: a reader opens
 * a table written with any of them.
 *
 * @param blockSizeBytes {@code table.blockSizeBytes}: the builder cuts a data block once its
 *     contents reach this size (so a block holds at least one entry and may pass it by one entry);
 *     256 B to 64 MiB, 4 KiB by default
 * @param restartInterval {@code table.restartInterval}: entries between restart points in data
 *     blocks; 1 to 1024, 16 by default
 * @param bloomBitsPerKey {@code table.bloomBitsPerKey}: bloom filter bits per key; 1 to
 *     {@value BloomFilterBuilder#MAX_BITS_PER_KEY}, 10 by default (about 0.8% false positives)
 * @param maxKeyBytes {@code table.maxKeyBytes}: the longest key accepted; 1 B to 16 MiB, 64 KiB by
 *     default
 * @param maxValueBytes {@code table.maxValueBytes}: the longest value accepted; 0 B to 256 MiB,
 *     16 MiB by default (the WAL's default record bound)
 *
 * <p>Invariants: every value is within its documented range (checked at construction, naming the
 * setting, the value and the bound). Thread-safety: immutable.
 */
public record TableOptions(int blockSizeBytes, int restartInterval, int bloomBitsPerKey, int maxKeyBytes,
    int maxValueBytes) {

  /** Default {@code table.blockSizeBytes}: 4 KiB. */
  public static final int DEFAULT_BLOCK_SIZE_BYTES = 4 << 10;
  /** Default {@code table.maxKeyBytes}: 64 KiB. */
  public static final int DEFAULT_MAX_KEY_BYTES = 64 << 10;
  /** Default {@code table.maxValueBytes}: 16 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 16 << 20;

  private static final int MIN_BLOCK_SIZE_BYTES = 256;
  private static final int MAX_BLOCK_SIZE_BYTES = 64 << 20;
  private static final int MAX_RESTART_INTERVAL = 1024;
  private static final int MAX_MAX_KEY_BYTES = 16 << 20;
  private static final int MAX_MAX_VALUE_BYTES = 256 << 20;

  /** Checks every setting. */
  public TableOptions {
    check("table.blockSizeBytes", blockSizeBytes, MIN_BLOCK_SIZE_BYTES, MAX_BLOCK_SIZE_BYTES, " bytes");
    check("table.restartInterval", restartInterval, 1, MAX_RESTART_INTERVAL, " entries");
    check("table.bloomBitsPerKey", bloomBitsPerKey, 1, BloomFilterBuilder.MAX_BITS_PER_KEY, " bits");
    check("table.maxKeyBytes", maxKeyBytes, 1, MAX_MAX_KEY_BYTES, " bytes");
    check("table.maxValueBytes", maxValueBytes, 0, MAX_MAX_VALUE_BYTES, " bytes");
  }

  /** The defaults. */
  public static TableOptions defaults() {
    return new TableOptions(DEFAULT_BLOCK_SIZE_BYTES, BlockBuilder.DEFAULT_RESTART_INTERVAL,
        BloomFilterBuilder.DEFAULT_BITS_PER_KEY, DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);
  }

  /** A copy with another {@code table.blockSizeBytes}. */
  public TableOptions withBlockSizeBytes(int bytes) {
    return new TableOptions(bytes, restartInterval, bloomBitsPerKey, maxKeyBytes, maxValueBytes);
  }

  /** A copy with another {@code table.restartInterval}. */
  public TableOptions withRestartInterval(int entries) {
    return new TableOptions(blockSizeBytes, entries, bloomBitsPerKey, maxKeyBytes, maxValueBytes);
  }

  /** A copy with another {@code table.bloomBitsPerKey}. */
  public TableOptions withBloomBitsPerKey(int bits) {
    return new TableOptions(blockSizeBytes, restartInterval, bits, maxKeyBytes, maxValueBytes);
  }

  /** A copy with another {@code table.maxKeyBytes}. */
  public TableOptions withMaxKeyBytes(int bytes) {
    return new TableOptions(blockSizeBytes, restartInterval, bloomBitsPerKey, bytes, maxValueBytes);
  }

  /** A copy with another {@code table.maxValueBytes}. */
  public TableOptions withMaxValueBytes(int bytes) {
    return new TableOptions(blockSizeBytes, restartInterval, bloomBitsPerKey, maxKeyBytes, bytes);
  }

  private static void check(String setting, int value, int min, int max, String unit) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(setting + " = " + value + unit + " is out of range; need " + min
          + " <= " + setting + " <= " + max + unit);
    }
  }
}
