package io.ringstore.storage.lsm;

import io.ringstore.storage.lsm.manifest.ManifestOptions;
import io.ringstore.storage.lsm.sstable.BlockCompression;
import io.ringstore.storage.lsm.sstable.TableOptions;
import io.ringstore.storage.lsm.wal.WalOptions;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of an {@link LsmStore}: its log, memtables, tables, block cache, compaction and
 * manifest.
 *
 * @param wal the write-ahead log ({@code wal.*})
 * @param table how tables are written ({@code table.*})
 * @param manifest the manifest's file bound ({@code manifest.maxFileBytes})
 * @param memtableBytes {@code memtable.bytes}: a memtable is frozen and flushed to a table once it
 *     holds this many bytes; 4 KiB to 1 GiB, 64 MiB by default
 * @param maxImmutableMemtables {@code memtable.maxImmutable}: frozen memtables waiting for their
 *     flush; a writer that would freeze one more waits for a flush to finish (back-pressure); 1 to
 *     16, 2 by default
 * @param blockCacheBytes {@code blockCache.bytes}: the bound of the cache of decoded data blocks
 *     shared by the store's tables; 0 (none) to 64 GiB, 64 MiB by default
 * @param level0CompactionTrigger {@code compaction.level0Trigger}: level-0 tables that start a
 *     compaction into level 1; 2 to 64, 4 by default
 * @param level0StopWritesTrigger {@code compaction.level0StopWrites}: level-0 tables at which
 *     writers wait for compaction (a write stall instead of unbounded read cost); from
 *     {@code level0Trigger + 1} to 256, 20 by default
 * @param level1TargetBytes {@code compaction.level1Bytes}: the size level 1 is kept under; each
 *     deeper level may hold {@code levelMultiplier} times more; 64 KiB to 64 GiB, 256 MiB by default
 * @param levelMultiplier {@code compaction.levelMultiplier}: 2 to 100, 10 by default
 * @param targetFileBytes {@code compaction.targetFileBytes}: compaction cuts its output into tables
 *     of about this size; 16 KiB to 4 GiB, 64 MiB by default
 *
 * <p>Invariants: every value is within its documented range (checked at construction, naming the
 * setting, the value and the bound). Thread-safety: immutable.
 */
public record LsmOptions(WalOptions wal, TableOptions table, ManifestOptions manifest, long memtableBytes,
    int maxImmutableMemtables, long blockCacheBytes, int level0CompactionTrigger, int level0StopWritesTrigger,
    long level1TargetBytes, int levelMultiplier, long targetFileBytes) {

  /** Default {@code memtable.bytes}: 64 MiB. */
  public static final long DEFAULT_MEMTABLE_BYTES = 64L << 20;
  /** Default {@code blockCache.bytes}: 64 MiB. */
  public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;

  /** Default {@code wal.maxRecordBytes} of the store: 32 MiB, room for the largest key and value. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 32 << 20;

  /** The option names {@link #parse} understands. */
  public static final Set<String> OPTION_NAMES = Set.of("wal.syncMode", "wal.syncIntervalMillis", "wal.segmentBytes",
      "wal.maxRecordBytes", "memtable.bytes", "memtable.maxImmutable", "table.blockSizeBytes", "table.bloomBitsPerKey",
      "table.maxKeyBytes", "table.maxValueBytes", "table.compression", "table.zstdLevel", "blockCache.bytes", "compaction.level0Trigger",
      "compaction.level0StopWrites", "compaction.level1Bytes", "compaction.levelMultiplier",
      "compaction.targetFileBytes", "manifest.maxFileBytes");

  /** Checks every setting. */
  public LsmOptions {
    if (wal == null || table == null || manifest == null) {
      throw new IllegalArgumentException("wal, table and manifest options must be set");
    }
    check("memtable.bytes", memtableBytes, 4096, 1L << 30, " bytes");
    check("memtable.maxImmutable", maxImmutableMemtables, 1, 16, "");
    check("blockCache.bytes", blockCacheBytes, 0, 64L << 30, " bytes");
    check("compaction.level0Trigger", level0CompactionTrigger, 2, 64, " tables");
    check("compaction.level0StopWrites", level0StopWritesTrigger, level0CompactionTrigger + 1L, 256,
        " tables (the lower bound is compaction.level0Trigger + 1)");
    check("compaction.level1Bytes", level1TargetBytes, 64L << 10, 64L << 30, " bytes");
    check("compaction.levelMultiplier", levelMultiplier, 2, 100, "");
    check("compaction.targetFileBytes", targetFileBytes, 16L << 10, 4L << 30, " bytes");
    if (table.maxValueBytes() + table.maxKeyBytes() + 64L > wal.maxRecordBytes()) {
      throw new IllegalArgumentException("table.maxKeyBytes + table.maxValueBytes = "
          + (table.maxKeyBytes() + (long) table.maxValueBytes()) + " bytes does not fit wal.maxRecordBytes = "
          + wal.maxRecordBytes() + " bytes (with 64 bytes of batch framing); raise wal.maxRecordBytes or lower the"
          + " table bounds");
    }
  }

  /** The defaults, with the log synced under {@code syncMode}. */
  public static LsmOptions defaults(WalSyncMode syncMode) {
    // a log record holds a batch: room for one key and value of the largest sizes, and more
    WalOptions wal = WalOptions.defaults(syncMode).withMaxRecordBytes(DEFAULT_MAX_RECORD_BYTES);
    return new LsmOptions(wal, TableOptions.defaults(), ManifestOptions.defaults(),
        DEFAULT_MEMTABLE_BYTES, 2, DEFAULT_BLOCK_CACHE_BYTES, 4, 20, 256L << 20, 10, 64L << 20);
  }

  /** The defaults: every acknowledged write is durable ({@link WalSyncMode#ALWAYS}). */
  public static LsmOptions defaults() {
    return defaults(WalSyncMode.ALWAYS);
  }

  /**
   * The defaults changed by {@code options} (string values by the names of {@link #OPTION_NAMES};
   * sizes in bytes, {@code wal.syncMode} one of {@code always}, {@code interval}, {@code none}).
   *
   * @throws IllegalArgumentException naming the option, its value and what is allowed, for an
   *     unknown name, a value that does not parse, or one out of range
   */
  public static LsmOptions parse(Map<String, String> options) {
    Set<String> unknown = new TreeSet<>(options.keySet());
    unknown.removeAll(OPTION_NAMES);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown lsm engine option(s) " + unknown + "; known options: "
          + new TreeSet<>(OPTION_NAMES));
    }
    LsmOptions o = defaults();
    WalOptions wal = o.wal;
    String mode = options.get("wal.syncMode");
    if (mode != null) {
      try {
        wal = new WalOptions(WalSyncMode.valueOf(mode.trim().toUpperCase(Locale.ROOT)), wal.syncInterval(),
            wal.segmentBytes(), wal.maxRecordBytes());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("wal.syncMode = '" + mode + "' is not a sync mode; use always, interval"
            + " or none", e);
      }
    }
    if (options.containsKey("wal.syncIntervalMillis")) {
      wal = wal.withSyncInterval(Duration.ofMillis(number(options, "wal.syncIntervalMillis")));
    }
    if (options.containsKey("wal.segmentBytes")) {
      wal = wal.withSegmentBytes(number(options, "wal.segmentBytes"));
    }
    if (options.containsKey("wal.maxRecordBytes")) {
      wal = wal.withMaxRecordBytes(intNumber(options, "wal.maxRecordBytes"));
    }
    TableOptions table = o.table;
    if (options.containsKey("table.blockSizeBytes")) {
      table = table.withBlockSizeBytes(intNumber(options, "table.blockSizeBytes"));
    }
    if (options.containsKey("table.bloomBitsPerKey")) {
      table = table.withBloomBitsPerKey(intNumber(options, "table.bloomBitsPerKey"));
    }
    if (options.containsKey("table.maxKeyBytes")) {
      table = table.withMaxKeyBytes(intNumber(options, "table.maxKeyBytes"));
    }
    if (options.containsKey("table.maxValueBytes")) {
      table = table.withMaxValueBytes(intNumber(options, "table.maxValueBytes"));
    }
    String compression = options.get("table.compression");
    if (compression != null) {
      try {
        table = table.withCompression(BlockCompression.valueOf(compression.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("table.compression = '" + compression + "' is not a compression; use zstd"
            + " or none", e);
      }
    }
    if (options.containsKey("table.zstdLevel")) {
      long level;
      try {
        level = Long.parseLong(options.get("table.zstdLevel").trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("table.zstdLevel = '" + options.get("table.zstdLevel")
            + "' is not a whole number", e);
      }
      check("table.zstdLevel", level, TableOptions.MIN_ZSTD_LEVEL, TableOptions.MAX_ZSTD_LEVEL, "");
      table = table.withZstdLevel((int) level);
    }
    ManifestOptions manifest = o.manifest;
    if (options.containsKey("manifest.maxFileBytes")) {
      manifest = new ManifestOptions(number(options, "manifest.maxFileBytes"), manifest.maxRecordBytes());
    }
    return new LsmOptions(wal, table, manifest,
        longOr(options, "memtable.bytes", o.memtableBytes),
        (int) longOr(options, "memtable.maxImmutable", o.maxImmutableMemtables),
        longOr(options, "blockCache.bytes", o.blockCacheBytes),
        (int) longOr(options, "compaction.level0Trigger", o.level0CompactionTrigger),
        (int) longOr(options, "compaction.level0StopWrites", o.level0StopWritesTrigger),
        longOr(options, "compaction.level1Bytes", o.level1TargetBytes),
        (int) longOr(options, "compaction.levelMultiplier", o.levelMultiplier),
        longOr(options, "compaction.targetFileBytes", o.targetFileBytes));
  }

  /** A copy whose log syncs under {@code mode}. */
  public LsmOptions withSyncMode(WalSyncMode mode) {
    return withWal(new WalOptions(mode, wal.syncInterval(), wal.segmentBytes(), wal.maxRecordBytes()));
  }

  /** A copy with other log settings. */
  public LsmOptions withWal(WalOptions newWal) {
    return new LsmOptions(newWal, table, manifest, memtableBytes, maxImmutableMemtables, blockCacheBytes,
        level0CompactionTrigger, level0StopWritesTrigger, level1TargetBytes, levelMultiplier, targetFileBytes);
  }

  /** A copy with other table settings. */
  public LsmOptions withTable(TableOptions newTable) {
    return new LsmOptions(wal, newTable, manifest, memtableBytes, maxImmutableMemtables, blockCacheBytes,
        level0CompactionTrigger, level0StopWritesTrigger, level1TargetBytes, levelMultiplier, targetFileBytes);
  }

  /** A copy with other manifest settings. */
  public LsmOptions withManifest(ManifestOptions newManifest) {
    return new LsmOptions(wal, table, newManifest, memtableBytes, maxImmutableMemtables, blockCacheBytes,
        level0CompactionTrigger, level0StopWritesTrigger, level1TargetBytes, levelMultiplier, targetFileBytes);
  }

  /** A copy with another {@code memtable.bytes}. */
  public LsmOptions withMemtableBytes(long bytes) {
    return new LsmOptions(wal, table, manifest, bytes, maxImmutableMemtables, blockCacheBytes,
        level0CompactionTrigger, level0StopWritesTrigger, level1TargetBytes, levelMultiplier, targetFileBytes);
  }

  /** A copy with another {@code memtable.maxImmutable}. */
  public LsmOptions withMaxImmutableMemtables(int count) {
    return new LsmOptions(wal, table, manifest, memtableBytes, count, blockCacheBytes,
        level0CompactionTrigger, level0StopWritesTrigger, level1TargetBytes, levelMultiplier, targetFileBytes);
  }

  /** A copy with another {@code blockCache.bytes}. */
  public LsmOptions withBlockCacheBytes(long bytes) {
    return new LsmOptions(wal, table, manifest, memtableBytes, maxImmutableMemtables, bytes,
        level0CompactionTrigger, level0StopWritesTrigger, level1TargetBytes, levelMultiplier, targetFileBytes);
  }

  /** A copy with other level-0 triggers. */
  public LsmOptions withLevel0Triggers(int compactionTrigger, int stopWritesTrigger) {
    return new LsmOptions(wal, table, manifest, memtableBytes, maxImmutableMemtables, blockCacheBytes,
        compactionTrigger, stopWritesTrigger, level1TargetBytes, levelMultiplier, targetFileBytes);
  }

  /** A copy with other level sizes and table size. */
  public LsmOptions withLevelSizes(long level1Bytes, int multiplier, long fileBytes) {
    return new LsmOptions(wal, table, manifest, memtableBytes, maxImmutableMemtables, blockCacheBytes,
        level0CompactionTrigger, level0StopWritesTrigger, level1Bytes, multiplier, fileBytes);
  }

  /** The size level {@code level} (1 or more) is kept under. */
  long targetBytes(int level) {
    long target = level1TargetBytes;
    for (int i = 1; i < level; i++) {
      target = target > Long.MAX_VALUE / levelMultiplier ? Long.MAX_VALUE : target * levelMultiplier;
    }
    return target;
  }

  private static long longOr(Map<String, String> options, String name, long fallback) {
    return options.containsKey(name) ? number(options, name) : fallback;
  }

  private static int intNumber(Map<String, String> options, String name) {
    long value = number(options, name);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " = " + value + " is out of range; need <= " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  private static long number(Map<String, String> options, String name) {
    String text = options.get(name);
    try {
      return Long.parseLong(text.trim().replace("_", ""));
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException(name + " = '" + text + "' is not a whole number", e);
    }
  }

  private static void check(String name, long value, long min, long max, String unit) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " = " + value + " is out of range; need " + min + " <= " + name
          + " <= " + max + unit);
    }
  }
}
