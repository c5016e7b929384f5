package io.ringstore.storage.lsm;

import java.util.List;

/**
 * What an {@link LsmStore} holds and has done since it was opened.
 *
 * @param memtableBytes the bytes charged to the active memtable
 * @param immutableMemtables frozen memtables waiting for their flush
 * @param tablesPerLevel the number of tables in each level, level 0 first
 * @param bytesPerLevel the file bytes of each level, level 0 first
 * @param flushes memtables flushed to tables
 * @param compactions compactions run
 * @param compactionBytesRead table bytes compactions read
 * @param compactionBytesWritten table bytes compactions wrote
 * @param flushBytesWritten table bytes flushes wrote
 * @param writeStalls times a writer waited for a flush or a compaction
 * @param droppedDeletions deletions compaction dropped at the bottom level
 * @param droppedExpired expired values compaction dropped (or turned into deletions above the bottom)
 * @param droppedOverwritten older versions compaction dropped
 *
 * <p>Thread-safety: immutable.
 */
public record LsmStats(long memtableBytes, int immutableMemtables, List<Integer> tablesPerLevel,
    List<Long> bytesPerLevel, long flushes, long compactions, long compactionBytesRead, long compactionBytesWritten,
    long flushBytesWritten, long writeStalls, long droppedDeletions, long droppedExpired, long droppedOverwritten) {

  /** Copies the lists. */
  public LsmStats {
    tablesPerLevel = List.copyOf(tablesPerLevel);
    bytesPerLevel = List.copyOf(bytesPerLevel);
  }

  /** The number of tables in all levels. */
  public int tableCount() {
    return tablesPerLevel.stream().mapToInt(Integer::intValue).sum();
  }

  /** The file bytes of all levels. */
  public long tableBytes() {
    return bytesPerLevel.stream().mapToLong(Long::longValue).sum();
  }
}
