package io.ringstore.storage.lsm.wal;

import java.time.Duration;

/**
 * The WAL's settings.
 *
 * @param syncMode when records are made durable; see {@link WalSyncMode}
 * @param syncInterval {@code wal.syncInterval}: the fsync period under {@link WalSyncMode#INTERVAL}
 *     (ignored otherwise); 1 ms to 1 hour, 100 ms by default
 * @param segmentBytes {@code wal.segmentBytes}: the writer rolls to a new segment before an append
 *     that would take the current one past this size (a segment always takes at least one record);
 *     4 KiB to 1 GiB, 64 MiB by default
 * @param maxRecordBytes {@code wal.maxRecordBytes}: the largest payload accepted; longer appends
 *     are refused before anything is written, and a reader treats a longer length as damage;
 *     1 byte to 256 MiB, 16 MiB by default
 *
 * <p>Invariants: every value is within its documented range (checked at construction, naming the
 * setting, the value and the bound). Thread-safety: immutable.
 */
public record WalOptions(WalSyncMode syncMode, Duration syncInterval, long segmentBytes, int maxRecordBytes) {

  /** Default {@code wal.maxRecordBytes}: 16 MiB. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;
  /** Upper bound of {@code wal.maxRecordBytes}: 256 MiB. */
  public static final int MAX_MAX_RECORD_BYTES = 256 << 20;
  /** Default {@code wal.segmentBytes}: 64 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  /** Default {@code wal.syncInterval}: 100 ms. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(100);

  /** Checks every setting. */
  public WalOptions {
    if (syncMode == null) {
      throw new IllegalArgumentException("wal.syncMode must be set (ALWAYS, INTERVAL or NONE)");
    }
    if (syncInterval == null || syncInterval.compareTo(Duration.ofMillis(1)) < 0
        || syncInterval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("wal.syncInterval = " + syncInterval
          + " is out of range; need 1 ms <= wal.syncInterval <= 1 h");
    }
    if (segmentBytes < 4096 || segmentBytes > (1L << 30)) {
      throw new IllegalArgumentException("wal.segmentBytes = " + segmentBytes
          + " bytes is out of range; need 4096 <= wal.segmentBytes <= " + (1L << 30) + " bytes");
    }
    if (maxRecordBytes < 1 || maxRecordBytes > MAX_MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("wal.maxRecordBytes = " + maxRecordBytes
          + " bytes is out of range; need 1 <= wal.maxRecordBytes <= " + MAX_MAX_RECORD_BYTES + " bytes");
    }
  }

  /** The defaults with {@code syncMode}. */
  public static WalOptions defaults(WalSyncMode syncMode) {
    return new WalOptions(syncMode, DEFAULT_SYNC_INTERVAL, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_RECORD_BYTES);
  }

  /** A copy with another {@code wal.segmentBytes}. */
  public WalOptions withSegmentBytes(long bytes) {
    return new WalOptions(syncMode, syncInterval, bytes, maxRecordBytes);
  }

  /** A copy with another {@code wal.maxRecordBytes}. */
  public WalOptions withMaxRecordBytes(int bytes) {
    return new WalOptions(syncMode, syncInterval, segmentBytes, bytes);
  }

  /** A copy with another {@code wal.syncInterval}. */
  public WalOptions withSyncInterval(Duration interval) {
    return new WalOptions(syncMode, interval, segmentBytes, maxRecordBytes);
  }
}
