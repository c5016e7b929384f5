package io.ringstore.storage.lsm.fs;

/**
 * What {@link FaultInjectionDisk} knows of one file it wrote: its length and how much of it
 * a power loss must keep. Shared by every handle on the file, and kept across renames.
 *
 * <p>Invariant: {@code durableBytes() <= syncedBytes <= writtenBytes}.
 * <p>Thread-safety: guarded by its own monitor; callers synchronize on it.
 */
final class TrackedFile {
  long writtenBytes; // guarded by this
  long syncedBytes; // guarded by this
  /** The synced size when a sync first failed; nothing past it is durable. */
  long durableCapBytes = Long.MAX_VALUE; // guarded by this

  /** A file whose first {@code durableBytes} bytes (all of it) are durable. */
  TrackedFile(long durableBytes) {
    this.writtenBytes = durableBytes;
    this.syncedBytes = durableBytes;
  }

  long durableBytes() {
    return Math.min(syncedBytes, durableCapBytes);
  }
}
