package io.ringstore.spi.env;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An exclusive lock on a lock file, taken by {@link Disk#lock}: while it is open, no other
 * {@code lock} of the same file succeeds, in this process or another. Like
 * {@link java.nio.channels.FileLock}, but closeable in try-with-resources and not tied to a
 * channel.
 *
 * <p>Invariants: once {@link #close()} has returned, the lock is released and {@link #isHeld()}
 * is false; it is never re-acquired by this handle.
 *
 * <p>Thread-safety: thread-safe.
 */
public interface DiskLock extends Closeable {

  /** The lock file this handle locks. */
  Path path();

  /**
   * Whether this handle still holds the lock: false after {@link #close()}, and, for a simulated
   * disk, after a simulated crash or process kill released it.
   */
  boolean isHeld();

  /** Releases the lock. Idempotent. The lock file stays. */
  @Override
  void close() throws IOException;
}
