package io.ringstore.storage.lsm.wal;

/**
 * When the {@link WalWriter} makes appended records durable, and so what a power loss may take.
 * A process crash alone (kill -9) loses nothing in any mode: every append reaches the operating
 * system before it returns.
 *
 * <p>Thread-safety: immutable.
 */
public enum WalSyncMode {
  /**
   * An append returns only after an fsync that covers its record: an acknowledged record survives
   * power loss. Concurrent appenders share one fsync (group commit).
   */
  ALWAYS,
  /**
   * An append returns once its record is written to the operating system; the writer fsyncs every
   * {@link WalOptions#syncInterval()}. A power loss may lose the records acknowledged in the last
   * interval (plus the time one fsync takes), never a record before an fsync that completed, and
   * never a record in the middle: what survives is a prefix of what was acknowledged.
   */
  INTERVAL,
  /**
   * The writer fsyncs only when it rolls to a new segment and when it is closed (or
   * {@link WalWriter#sync()} is called). A power loss may lose every record of the current
   * segment that was acknowledged since then; what survives is still a prefix.
   */
  NONE
}
