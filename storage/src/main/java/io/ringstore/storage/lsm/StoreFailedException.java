package io.ringstore.storage.lsm;

import io.ringstore.spi.RingstoreException;

/**
 * A write refused because the store met an I/O error earlier (a failed log append or fsync, a
 * failed flush, compaction or manifest change, a full disk) and is now read-only: reads go on,
 * writes are refused until the cause is fixed and the store reopened, which recovers every
 * acknowledged write. The message names the store's directory and the first error, which is also
 * the cause.
 *
 * <p>Thread-safety: immutable.
 */
public class StoreFailedException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  StoreFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
