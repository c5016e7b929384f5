package io.ringstore.storage.lsm.fs;

/**
 * What a simulated power loss ({@link FaultInjectionDisk#crash}) keeps of the bytes appended
 * to a file after its last successful sync. Synced bytes are never changed.
 *
 * <p>Thread-safety: immutable.
 */
public enum UnsyncedTail {
  /** Every file is cut to its synced size (LevelDB's and RocksDB's "drop unsynced data"). */
  DROP,
  /**
   * For each file with unsynced bytes, in path order, one {@code nextBoolean()} draw: {@code true}
   * cuts it to its synced size; {@code false} keeps its synced size plus {@code r} bytes, with
   * {@code r} drawn by {@code nextLong(1, unsynced + 1)} (so every unsynced byte may survive). The
   * kept bytes are exactly the bytes that were appended: the file is a prefix of what was written.
   */
  TORN_PREFIX,
  /**
   * As {@link #TORN_PREFIX}, but when unsynced bytes are kept, the last {@code min(r, 512)} of them
   * are replaced with random bytes (a torn sector holding garbage). The synced bytes stay intact;
   * recovery must detect the garbage by checksum.
   */
  TORN_GARBAGE
}
