package io.ringstore.spi.env;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * {@link Disk#lock} found the lock file already locked, by another process or by another open
 * {@link DiskLock} in this one. Its message names the lock file.
 *
 * <p>Thread-safety: immutable after construction.
 */
public final class DiskLockedException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  /** The lock on {@code lockFile} is held elsewhere. */
  public DiskLockedException(Path lockFile) {
    super(lockFile.toString(), null,
        "already locked by another process or another open lock in this process; close that first");
  }
}
