package io.ringstore.storage.lsm.fs;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;

/**
 * The kinds of operation {@link FaultInjectionDisk} counts and can fail.
 *
 * <p>Thread-safety: immutable.
 */
public enum FileOp {
  /** {@link Disk#create}. */
  CREATE,
  /** {@link WritableFile#append} and {@link WritableFile#truncate}. */
  WRITE,
  /** {@link WritableFile#sync()}. */
  SYNC,
  /** {@link Disk#rename}. */
  RENAME,
  /** {@link Disk#delete}. */
  DELETE,
  /** {@link Disk#syncDirectory}. */
  SYNC_DIRECTORY,
  /** {@link ReadableFile#read}. */
  READ
}
